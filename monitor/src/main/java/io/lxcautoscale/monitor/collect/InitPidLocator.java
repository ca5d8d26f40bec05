package io.lxcautoscale.monitor.collect;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.HeldFile;
import io.lxcautoscale.common.read.OpenFileBudget;
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
 * container keeps its init in {@code ns/init.scope}). The file where it was found is remembered and kept
 * open ({@link HeldFile}), so later cycles make one positional read; the search runs again only when that
 * file no longer names a process. A search that finds no process (a container still starting or stopping)
 * is repeated only every {@value #SEARCH_EVERY_CYCLES} cycles, not every cycle.
 *
 * <p>Once found, init stays init while its PID is still listed: on a host whose PIDs wrap (a small
 * {@code kernel.pid_max}, 32768 on some hosts) a process started later in the container can get a
 * smaller PID than init, and taking it for init would look like a restart and throw away that cycle's
 * deltas (an OOM kill among them).
 */
final class InitPidLocator implements AutoCloseable {
    /** A container with thousands of nested cgroups is not searched exhaustively every time. */
    private static final int MAX_CGROUPS_SEARCHED = 256;
    private static final int MAX_DEPTH = 4;
    /** Cycles between two searches of a container in which no process was found. */
    static final int SEARCH_EVERY_CYCLES = 6;

    private final OpenFileBudget budget;
    private HeldFile known;
    private int knownPid;
    private int cyclesUntilSearch;
    private final int staggerOffset;
    private boolean searchedBefore;

    /** {@code vmid} spreads the repeated searches of many process-less containers over the cycles. */
    InitPidLocator(int vmid, OpenFileBudget budget) {
        this.budget = budget;
        this.staggerOffset = vmid % SEARCH_EVERY_CYCLES;
    }

    /** The init PID, or 0 when the container has no process (stopping, starting) or the tree cannot be read. */
    int find(Path nsDir, SmallFileReader reader) {
        if (known != null) {
            int n = read(known, reader);
            int pid = knownPid > 0 && lists(reader.buffer(), n, knownPid) ? knownPid : smallestPid(reader.buffer(), n);
            if (pid > 0) {
                knownPid = pid;
                return pid;
            }
            known.close();
            known = null;
        }
        if (cyclesUntilSearch > 0) {
            cyclesUntilSearch--;
            return 0;
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
            int n;
            try {
                n = reader.read(procs);
            } catch (IOException e) {
                n = -1;
            }
            int pid = smallestPid(reader.buffer(), n);
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
        if (bestFile != null) {
            known = new HeldFile(bestFile, budget);
        } else {
            cyclesUntilSearch = searchedBefore ? SEARCH_EVERY_CYCLES - 1 : staggerOffset;
        }
        searchedBefore = true;
        knownPid = best;
        return best;
    }

    /** Releases the file kept open. */
    @Override
    public void close() {
        if (known != null) {
            known.close();
            known = null;
        }
    }

    private static int read(HeldFile file, SmallFileReader reader) {
        try {
            return file.read(reader);
        } catch (IOException e) {
            return -1;
        }
    }

    /** True when the first {@code n} bytes of {@code b} (a cgroup.procs) list {@code pid}. */
    private static boolean lists(byte[] b, int n, int pid) {
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

    private static int smallestPid(byte[] b, int n) {
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
