package io.lxcautoscale.model.policy;

import io.lxcautoscale.common.memory.MemoryHeadroom;

/**
 * The last word on memory: a decrease never goes below the peak of unreclaimable memory (anon + shmem +
 * kernel: Proxmox's used figure plus shmem, see {@code HistoryStore}) over the last hour plus headroom
 * ({@link MemoryHeadroom}, shared with the API; default +20 %, at least +64 MiB) — lowering a cgroup v2 limit
 * under use makes the kernel reclaim and then OOM-kill (bug 15), and tmpfs cannot be reclaimed without swap.
 * Applied after the limits, so even a container above max keeps what it needs.
 */
public final class MemoryFloor implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        int current = in.currentMemoryMb();
        if (p.memoryMb() >= current) {
            return p;
        }
        double peak = in.peakMemoryMb();
        if (Double.isNaN(peak)) {
            return p.withAllocation(p.cores(), current).because("memory use unknown: memory not lowered");
        }
        PolicySettings s = in.settings();
        MemoryHeadroom headroom = new MemoryHeadroom(s.memory().headroomFraction() * 100, s.memory().headroomMinMb());
        int floorMb = (int) Math.min(current, headroom.floorMb(peak));
        if (p.memoryMb() >= floorMb) {
            return p;
        }
        return p.withAllocation(p.cores(), floorMb).asMemorySafety()
                .because(String.format("memory floor: peak %.0f MiB + headroom keeps at least %d MiB", peak, floorMb));
    }
}
