package io.lxcautoscale.model.policy;

/**
 * The last word on memory: a decrease never goes below the peak of used memory over the last hour plus headroom
 * (default +20 %, at least +64 MiB) — lowering a cgroup v2 limit under use triggers the OOM killer
 * (bug 15). Applied after the limits, so even a container above max keeps what it needs.
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
        double floor = Math.max(peak * (1 + s.memoryHeadroomFraction()), peak + s.memoryHeadroomMinMb());
        int floorMb = (int) Math.min(current, Math.ceil(floor));
        if (p.memoryMb() >= floorMb) {
            return p;
        }
        return p.withAllocation(p.cores(), floorMb).asSafety()
                .because(String.format("memory floor: peak %.0f MiB + headroom keeps at least %d MiB", peak, floorMb));
    }
}
