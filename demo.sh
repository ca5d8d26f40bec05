#!/bin/sh
# The LXC AutoScale ML demo: a simulated Proxmox node with the three daemons and a live table.
# Usage: ./demo.sh [--fast-forward] [--duration SECONDS] [--keep] [--cluster [--nodes N] [--offline NODE:SECONDS]] [--help]
#        (Ctrl-C stops everything)
cd "$(dirname "$0")" || exit 1
for jar in sim/target/lxc_sim.jar monitor/target/lxc_monitor.jar model/target/lxc_autoscale_ml.jar api/target/lxc_autoscale_api.jar; do
    if [ ! -f "$jar" ]; then
        echo "building the jars (mvn -B -q -DskipTests package)..."
        mvn -B -q -DskipTests package || exit 1
        break
    fi
done
exec java -XX:+UseSerialGC -cp sim/target/lxc_sim.jar io.lxcautoscale.sim.demo.DemoMain "$@"
