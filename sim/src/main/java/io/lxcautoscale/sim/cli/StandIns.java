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

    /** JVM flags of every stand-in call: fast start, small heap work; JVM logging off so nothing but the tool's output reaches stdout. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
            "-Xss512k", "-Xlog:disable");

    /** Writes both wrappers; {@code classPath} is this process's class path (made absolute). */
    public static void write(NodeFiles files, String classPath, int latencyMs) {
        String java = javaExecutable();
        String cp = absoluteClassPath(classPath);
        wrapper(files.bin().resolve("pct"), java, cp, files, latencyMs, PctMain.class.getName());
        wrapper(files.bin().resolve("pvesh"), java, cp, files, latencyMs, PveshMain.class.getName());
    }

    /** The class-data archive the wrappers map when it exists (a missing or stale one is silently ignored by the JVM). */
    public static Path archive(NodeFiles files) {
        return files.simDir().resolve("standins.jsa");
    }

    /**
     * Starts {@link ArchiveTraining} in a JVM that records the classes it loads into {@link #archive} at exit, so later
     * calls start faster. Runs in the background; the caller waits for or kills the returned process.
     */
    public static Process startArchiveTraining(NodeFiles files, String classPath) throws IOException {
        Path tmp = files.simDir().resolve("standins.jsa.tmp");
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-XX:ArchiveClassesAtExit=" + tmp));
        cmd.addAll(FAST_START.subList(0, 1));
        cmd.addAll(FAST_START.subList(2, FAST_START.size()));
        cmd.addAll(List.of("-Dlxc.sim.root=" + files.root(), "-cp", absoluteClassPath(classPath), ArchiveTraining.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LXC_SIM_LATENCY_MS", "0");
        return pb.start();
    }

    /** After a successful training run, moves the archive into place (atomically, so no call maps a half-written file). */
    public static boolean installArchive(NodeFiles files, int exitCode) throws IOException {
        Path tmp = files.simDir().resolve("standins.jsa.tmp");
        if (exitCode != 0 || !Files.isRegularFile(tmp)) {
            Files.deleteIfExists(tmp);
            return false;
        }
        Files.move(tmp, archive(files), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String absoluteClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void wrapper(Path file, String java, String cp, NodeFiles files, int latencyMs, String mainClass) {
        String text = "#!/bin/sh\n"
                + "# stand-in written by the LXC AutoScale ML simulator (docs/simulator.md); LXC_SIM_LATENCY_MS overrides the latency\n"
                + "exec " + quote(java) + " " + String.join(" ", FAST_START)
                + " -XX:SharedArchiveFile=" + quote(archive(files).toString())
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
