package io.lxcautoscale.monitor.host;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Host-wide figures read once per cycle from the configurable proc root: CPU count ({@code cpuN} lines of
 * {@code stat}), total memory ({@code MemTotal} of {@code meminfo}) and the host name
 * ({@code sys/kernel/hostname}). A figure that cannot be read is 0 (CPUs, memory) or null (name).
 *
 * @param cpus      online CPUs
 * @param memoryMb  MemTotal in MiB
 * @param hostname  the kernel host name
 */
public record HostInfo(int cpus, double memoryMb, String hostname) {
    private static final byte[] MEM_TOTAL = ByteText.key("MemTotal:");

    /** Reads the figures under {@code procRoot}. */
    public static HostInfo read(Path procRoot, SmallFileReader reader) {
        int cpus = 0;
        double memoryMb = 0;
        String hostname = null;
        try {
            int n = reader.read(procRoot.resolve("stat").toString());
            byte[] b = reader.buffer();
            int line = 0;
            while (line < n) {
                int eol = ByteText.indexOf(b, line, n, (byte) '\n');
                if (eol - line > 3 && b[line] == 'c' && b[line + 1] == 'p' && b[line + 2] == 'u'
                        && b[line + 3] >= '0' && b[line + 3] <= '9') {
                    cpus++;
                }
                line = eol + 1;
            }
        } catch (IOException e) {
            cpus = 0;
        }
        try {
            int n = reader.read(procRoot.resolve("meminfo").toString());
            if (n > 0) {
                // "MemTotal:       24541908 kB"
                long kb = ByteText.keyed(reader.buffer(), n, MEM_TOTAL);
                if (kb > 0) {
                    memoryMb = kb / 1024.0;
                }
            }
        } catch (IOException e) {
            memoryMb = 0;
        }
        try {
            int n = reader.read(procRoot.resolve("sys/kernel/hostname").toString());
            if (n > 0) {
                hostname = new String(reader.buffer(), 0, n, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            hostname = null;
        }
        return new HostInfo(cpus, memoryMb, hostname == null || hostname.isEmpty() ? null : hostname);
    }
}
