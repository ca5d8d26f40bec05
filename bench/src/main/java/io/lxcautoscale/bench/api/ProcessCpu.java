package io.lxcautoscale.bench.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/<pid>/stat}, in clock ticks: its own (utime + stime) and that of its
 * children it has waited for (cutime + cstime).
 */
record ProcessCpu(long ownTicks, long childTicks) {
    /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every Linux architecture Proxmox runs on. */
    static final int TICKS_PER_SECOND = 100;

    static ProcessCpu of(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields count from its last ')'. */
    static ProcessCpu parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        long cutime = Long.parseLong(f[13]);
        long cstime = Long.parseLong(f[14]);
        return new ProcessCpu(utime + stime, cutime + cstime);
    }

    /** {@code ticks} of CPU time over {@code wallNanos} of wall time as a share of one core, in percent. */
    static double percentOfCore(long ticks, long wallNanos) {
        return ticks * 100.0 / TICKS_PER_SECOND / (wallNanos / 1e9);
    }
}
