package io.lxcautoscale.monitor.host;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * The monitor's own cost: CPU seconds from the JVM (no clock-tick guess) and resident memory from
 * {@code /proc/self/status} of the real process (never under the configurable proc root, which may be
 * a simulated tree).
 */
public final class SelfUsage {
    private static final byte[] VM_RSS = ByteText.key("VmRSS:");
    private final com.sun.management.OperatingSystemMXBean os;

    public SelfUsage() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    /** CPU seconds used by this process so far, or -1 when the JVM cannot tell. */
    public double cpuSeconds() {
        if (os == null) {
            return -1;
        }
        long ns = os.getProcessCpuTime();
        return ns < 0 ? -1 : ns / 1e9;
    }

    /** Resident set size in MiB, or -1 when unknown. */
    public double rssMb(SmallFileReader reader) {
        try {
            int n = reader.read("/proc/self/status");
            if (n <= 0) {
                return -1;
            }
            long kb = ByteText.keyed(reader.buffer(), n, VM_RSS);
            return kb < 0 ? -1 : kb / 1024.0;
        } catch (IOException e) {
            return -1;
        }
    }
}
