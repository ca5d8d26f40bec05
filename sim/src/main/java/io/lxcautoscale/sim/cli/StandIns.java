package io.lxcautoscale.sim.cli;

import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code ROOT/bin/pct} and {@code ROOT/bin/pvesh}: two-line {@code sh} wrappers that exec a JVM tuned for
 * fast start on the stand-in main classes, with the node root and the default latency baked in.
 */
public final class StandIns {
    private StandIns() {
    }

    /** Writes both wrappers; {@code classPath} is this process's class path (made absolute). */
    public static void write(NodeFiles files, String classPath, int latencyMs) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = String.join(File.pathSeparator, entries);
        wrapper(files.bin().resolve("pct"), java, cp, files, latencyMs, PctMain.class.getName());
        wrapper(files.bin().resolve("pvesh"), java, cp, files, latencyMs, PveshMain.class.getName());
    }

    private static void wrapper(Path file, String java, String cp, NodeFiles files, int latencyMs, String mainClass) {
        String text = "#!/bin/sh\n"
                + "# stand-in written by the LXC AutoScale ML simulator (docs/simulator.md); LXC_SIM_LATENCY_MS overrides the latency\n"
                + "exec " + quote(java) + " -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -Xss512k"
                + " -Dlxc.sim.root=" + quote(files.root().toString()) + " -Dlxc.sim.latencyMs=" + latencyMs
                + " -cp " + quote(cp) + " " + mainClass + " \"$@\"\n";
        AtomicFiles.write(file, text);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file + " executable", e);
        }
    }

    /** Single-quotes for sh: no expansion inside; a quote itself becomes '\''. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
