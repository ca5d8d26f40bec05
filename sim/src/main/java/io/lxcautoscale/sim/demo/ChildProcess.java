package io.lxcautoscale.sim.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One process the demo started (the simulator or a daemon), with its output in a file and a clean stop. */
final class ChildProcess {
    private final String name;
    private final Process process;
    private final Path output;

    private ChildProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java -jar jar args} with the JVM flags for a small footprint. */
    static ChildProcess startJar(String name, Path jar, Path output, String... args) {
        return startJar(name, jar, output, List.of(), args);
    }

    /** The same with more JVM flags, e.g. the heap limit of the daemon's systemd unit ({@code -Xmx256m}). */
    static ChildProcess startJar(String name, Path jar, Path output, List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new ChildProcess(name, p, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + jar + ")", e);
        }
    }

    String name() {
        return name;
    }

    boolean alive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    Path output() {
        return output;
    }

    /** SIGTERM, then up to {@code graceSeconds} for a clean exit, then SIGKILL. Returns the exit code. */
    int stop(int graceSeconds) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        return process.exitValue();
    }
}
