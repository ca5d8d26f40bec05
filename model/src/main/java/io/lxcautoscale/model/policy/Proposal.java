package io.lxcautoscale.model.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision as it passes down the chain: demand targets (fractional), the allocation proposed so far
 * (whole cores, MiB), why, and — per resource — whether an anomalous surge or an OOM made it urgent and
 * whether a safety rule shaped it.
 *
 * @param cpuTargetCores   estimated CPU need, cores (NaN unknown)
 * @param memoryTargetMb   estimated memory need, MiB (NaN unknown)
 * @param cores            proposed cores
 * @param memoryMb         proposed memory, MiB
 * @param cpuUrgent        scale up now, skipping the up-cooldown
 * @param memoryUrgent     same for memory
 * @param memoryPredicted  the memory target was raised by a daily peak expected soon
 * @param cpuSafety        a safety rule (limits) shaped the cores; never gated by confidence
 * @param memorySafety     a safety rule (limits, memory floor, OOM) shaped the memory; never gated by confidence
 * @param reasons          human-readable reasons, in the order the steps added them
 */
public record Proposal(double cpuTargetCores, double memoryTargetMb, int cores, int memoryMb,
                       boolean cpuUrgent, boolean memoryUrgent, boolean memoryPredicted,
                       boolean cpuSafety, boolean memorySafety, List<String> reasons) {
    public Proposal {
        reasons = List.copyOf(reasons);
    }

    /** The starting point: keep the current allocation. */
    public static Proposal keep(PolicyInput in) {
        return new Proposal(Double.NaN, Double.NaN, in.currentCores(), in.currentMemoryMb(),
                false, false, false, false, false, List.of());
    }

    /** A safety rule shaped either resource. */
    public boolean safety() {
        return cpuSafety || memorySafety;
    }

    public Proposal withTargets(double cpu, double memory) {
        return new Proposal(cpu, memory, cores, memoryMb, cpuUrgent, memoryUrgent, memoryPredicted, cpuSafety, memorySafety, reasons);
    }

    public Proposal withAllocation(int newCores, int newMemoryMb) {
        return new Proposal(cpuTargetCores, memoryTargetMb, newCores, newMemoryMb, cpuUrgent, memoryUrgent,
                memoryPredicted, cpuSafety, memorySafety, reasons);
    }

    public Proposal withFlags(boolean cpuUrgentNow, boolean memoryUrgentNow, boolean memoryPredictedNow) {
        return new Proposal(cpuTargetCores, memoryTargetMb, cores, memoryMb, cpuUrgentNow, memoryUrgentNow,
                memoryPredictedNow, cpuSafety, memorySafety, reasons);
    }

    /** A safety rule shaped the cores. */
    public Proposal asCpuSafety() {
        return new Proposal(cpuTargetCores, memoryTargetMb, cores, memoryMb, cpuUrgent, memoryUrgent,
                memoryPredicted, true, memorySafety, reasons);
    }

    /** A safety rule shaped the memory. */
    public Proposal asMemorySafety() {
        return new Proposal(cpuTargetCores, memoryTargetMb, cores, memoryMb, cpuUrgent, memoryUrgent,
                memoryPredicted, cpuSafety, true, reasons);
    }

    /** Both resources are safety-shaped (tests). */
    public Proposal asSafety() {
        return asCpuSafety().asMemorySafety();
    }

    public Proposal because(String reason) {
        List<String> more = new ArrayList<>(reasons);
        more.add(reason);
        return new Proposal(cpuTargetCores, memoryTargetMb, cores, memoryMb, cpuUrgent, memoryUrgent,
                memoryPredicted, cpuSafety, memorySafety, more);
    }
}
