#!/bin/sh
# Runs one benchmark main with the bench module's class path.
# Usage (from the repository root, after `mvn -B -DskipTests install`):
#   bench/run.sh [JVM options...] io.lxcautoscale.bench.<area>.<Bench> [args...]
# e.g. bench/run.sh -Xmx512m io.lxcautoscale.bench.model.CycleBench 100 24
set -e
cd "$(dirname "$0")"
if [ ! -f target/classpath.txt ] || [ pom.xml -nt target/classpath.txt ]; then
    mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
fi
[ -d target/classes ] || mvn -B -q -o compile
exec java -cp "target/classes:$(cat target/classpath.txt)" "$@"
