package io.lxcautoscale.monitor.collect;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Finds a container's init process without {@code lxc-info}: the smallest PID in
 * {@code .../lxc/<vmid>/ns/cgroup.procs}, else in the child cgroups below {@code ns/} (a systemd
 * container keeps its init in {@code ns/init.scope}). The file where it was found is remembered, so
 * later cycles read one file; the search runs again only when that file no longer names a process.
 *
 * <p>Once found, init stays init while its PID is still listed: on a host whose PIDs wrap (a small
 * {@code kernel.pid_max}, 32768 on some hosts) a process started later in the container can get a
 * smaller PID than init, and taking it for init would look like a restart and throw away that cycle's
 * deltas (an OOM kill among them).
 */
final class InitPidLocator {
    /** A container with thousands of nested cgroups is not searched exhaustively every time. */
    private static final int MAX_CGROUPS_SEARCHED = 256;
    private static final int MAX_DEPTH = 4;

    private File knownProcsFile;
    private int knownPid;

    /** The init PID, or 0 when the container has no process (stopping) or the tree cannot be read. */
    int find(Path nsDir, SmallFileReader reader) {
        if (knownProcsFile != null) {
            int pid = knownPid > 0 && lists(knownProcsFile, knownPid, reader) ? knownPid : smallestPid(knownProcsFile, reader);
            if (pid > 0) {
                knownPid = pid;
                return pid;
            }
            knownProcsFile = null;
        }
        int best = 0;
        File bestFile = null;
        ArrayDeque<Path> queue = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        queue.add(nsDir);
        depths.add(0);
        int searched = 0;
        while (!queue.isEmpty() && searched < MAX_CGROUPS_SEARCHED) {
            Path dir = queue.poll();
            int depth = depths.poll();
            searched++;
            File procs = new File(dir.resolve("cgroup.procs").toString());
            int pid = smallestPid(procs, reader);
            if (pid > 0 && (best == 0 || pid < best)) {
                best = pid;
                bestFile = procs;
            }
            if (depth == 0 && pid > 0) {
                // Processes directly in ns/: the container's root cgroup holds init.
                break;
            }
            if (depth < MAX_DEPTH) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
                    for (Path child : children) {
                        queue.add(child);
                        depths.add(depth + 1);
                    }
                } catch (IOException | RuntimeException e) {
                    // The cgroup went away while being searched; what was found so far stands.
                }
            }
        }
        knownProcsFile = bestFile;
        knownPid = best;
        return best;
    }

    /** True when {@code procsFile} lists {@code pid}. */
    private static boolean lists(File procsFile, int pid, SmallFileReader reader) {
        int n;
        try {
            n = reader.read(procsFile);
        } catch (IOException e) {
            return false;
        }
        byte[] b = reader.buffer();
        int line = 0;
        while (line < n) {
            int eol = ByteText.indexOf(b, line, n, (byte) '\n');
            if (ByteText.digits(b, line, eol) == pid) {
                return true;
            }
            line = eol + 1;
        }
        return false;
    }

    private static int smallestPid(File procsFile, SmallFileReader reader) {
        int n;
        try {
            n = reader.read(procsFile);
        } catch (IOException e) {
            return 0;
        }
        byte[] b = reader.buffer();
        long best = 0;
        int line = 0;
        while (line < n) {
            int eol = ByteText.indexOf(b, line, n, (byte) '\n');
            long pid = ByteText.digits(b, line, eol);
            if (pid > 0 && pid <= Integer.MAX_VALUE && (best == 0 || pid < best)) {
                best = pid;
            }
            line = eol + 1;
        }
        return (int) best;
    }
}
