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
 * Fallback process count for hosts where {@code pids.current} is not available (pids controller not
 * enabled for the subtree): the PIDs listed in every {@code cgroup.procs} at and below the container's
 * {@code ns/} cgroup. Counts processes, where {@code pids.current} counts tasks (threads included).
 */
final class ProcessCount {
    private static final int MAX_CGROUPS = 256;

    private ProcessCount() {
    }

    /** The count, or -1 when the container's cgroup cannot be read. */
    static long count(Path nsDir, SmallFileReader reader) {
        long total = 0;
        boolean readAny = false;
        ArrayDeque<Path> queue = new ArrayDeque<>();
        queue.add(nsDir);
        int visited = 0;
        while (!queue.isEmpty() && visited < MAX_CGROUPS) {
            Path dir = queue.poll();
            visited++;
            try {
                int n = reader.read(new File(dir.resolve("cgroup.procs").toString()));
                if (n < 0) {
                    continue;
                }
                readAny = true;
                byte[] b = reader.buffer();
                int line = 0;
                while (line < n) {
                    int eol = ByteText.indexOf(b, line, n, (byte) '\n');
                    if (ByteText.digits(b, line, eol) > 0) {
                        total++;
                    }
                    line = eol + 1;
                }
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
                    for (Path child : children) {
                        queue.add(child);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // A child cgroup removed while walking: count what was seen.
            }
        }
        return readAny ? total : -1;
    }
}
