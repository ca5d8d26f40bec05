package io.lxcautoscale.monitor.collect;

import io.lxcautoscale.common.cgroup.CgroupCounters;
import io.lxcautoscale.common.read.ByteText;
import java.util.Arrays;

/**
 * The raw figures read for one container in one cycle: its cgroup's (read by common's shared cgroup reader) plus
 * what the monitor reads besides (veth counters, root file system, init PID, when it was read). Kept as
 * primitives so that two instances per container (this cycle and the previous one) are reused forever. A figure
 * that could not be read is {@link ByteText#ABSENT}.
 */
public final class RawCounters extends CgroupCounters {
    public long readNanos;

    /** Container receive / transmit bytes summed over its veth interfaces (host tx / rx). */
    public long netRxBytes;
    public long netTxBytes;
    /** Interface numbers N of {@code veth<vmid>i<N>} summed above, sorted; rates need the same set twice. */
    public int[] netInterfaces = new int[0];
    public int netInterfaceCount;

    public long fsTotalBytes;
    public long fsFreeBytes;
    public long fsAvailableBytes;

    public int initPid;

    /** Forgets everything: every figure absent. */
    @Override
    public void clear() {
        super.clear();
        readNanos = 0;
        netRxBytes = netTxBytes = ByteText.ABSENT;
        netInterfaceCount = 0;
        fsTotalBytes = fsFreeBytes = fsAvailableBytes = ByteText.ABSENT;
        initPid = 0;
    }

    /** Records interface {@code n} as summed this cycle. */
    public void addNetInterface(int n) {
        if (netInterfaceCount == netInterfaces.length) {
            netInterfaces = Arrays.copyOf(netInterfaces, Math.max(4, netInterfaceCount * 2));
        }
        netInterfaces[netInterfaceCount++] = n;
    }

    /** True when both samples summed exactly the same interfaces (a hot-plugged NIC would fake a jump). */
    public boolean sameNetInterfaces(RawCounters other) {
        return netInterfaceCount == other.netInterfaceCount
                && Arrays.equals(netInterfaces, 0, netInterfaceCount, other.netInterfaces, 0, other.netInterfaceCount);
    }
}
