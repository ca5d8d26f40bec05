package io.lxcautoscale.monitor.collect;

import io.lxcautoscale.monitor.read.ByteText;
import java.util.Arrays;

/**
 * The raw figures read for one container in one cycle, kept as primitives so that two instances per
 * container (this cycle and the previous one) are reused forever. A counter that could not be read is
 * {@link ByteText#ABSENT}; a limit that is {@code max} is {@link ByteText#UNLIMITED}; a PSI figure that
 * could not be read is NaN.
 */
public final class RawCounters {
    public long readNanos;
    public long cpuUsageUsec;
    public long nrPeriods;
    public long nrThrottled;
    public long throttledUsec;

    public long memoryCurrentBytes;
    public long memoryFileBytes;
    public long memoryMaxBytes;
    public long memoryHighBytes;
    public long swapCurrentBytes;
    public long swapMaxBytes;
    public long eventsHigh;
    public long eventsMax;
    public long eventsOom;
    public long eventsOomKill;

    public double cpuSomeAvg10;
    public double cpuFullAvg10;
    public double memorySomeAvg10;
    public double memoryFullAvg10;
    public double ioSomeAvg10;
    public double ioFullAvg10;

    public long ioReadBytes;
    public long ioWriteBytes;
    public long ioReadOps;
    public long ioWriteOps;

    public long pids;

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
    public void clear() {
        readNanos = 0;
        cpuUsageUsec = nrPeriods = nrThrottled = throttledUsec = ByteText.ABSENT;
        memoryCurrentBytes = memoryFileBytes = memoryMaxBytes = memoryHighBytes = ByteText.ABSENT;
        swapCurrentBytes = swapMaxBytes = ByteText.ABSENT;
        eventsHigh = eventsMax = eventsOom = eventsOomKill = ByteText.ABSENT;
        cpuSomeAvg10 = cpuFullAvg10 = memorySomeAvg10 = memoryFullAvg10 = ioSomeAvg10 = ioFullAvg10 = Double.NaN;
        ioReadBytes = ioWriteBytes = ioReadOps = ioWriteOps = ByteText.ABSENT;
        pids = ByteText.ABSENT;
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
