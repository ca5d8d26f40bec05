package io.lxcautoscale.model.policy;

import io.lxcautoscale.model.testing.ShippedSettings;
import java.time.Instant;
import java.util.Arrays;

/** Builders for policy inputs: a steady container at given CPU cores and memory, 300-second steps, the shipped settings. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-08-18T12:00:00Z");
    static final NodeCapacity BIG_NODE = new NodeCapacity(32, 131_072, 8, 8192);

    private Fixtures() {
    }

    /** A view whose every step (a day's worth) and latest value equal {@code cpuCores} / {@code memoryMb}. */
    static ContainerView steady(double cpuCores, double memoryMb) {
        return steady(cpuCores, memoryMb, 288);
    }

    static ContainerView steady(double cpuCores, double memoryMb, int steps) {
        double[] cpu = new double[steps];
        double[] mem = new double[steps];
        Arrays.fill(cpu, cpuCores);
        Arrays.fill(mem, memoryMb);
        return new ContainerView("101", 300, NOW.getEpochSecond(), cpu, mem, cpuCores, memoryMb, 0, 0, 0, Anomaly.NONE);
    }

    static ContainerView with(ContainerView v, double throttled, double psiMemory, int oomKills, Anomaly anomaly) {
        return new ContainerView(v.vmid(), v.stepSeconds(), v.lastStepEndEpochSecond(), v.cpuCores(), v.memoryPeakMb(),
                v.recentCpuCores(), v.recentMemoryMb(), throttled, psiMemory, oomKills, anomaly);
    }

    static ContainerView recent(ContainerView v, double cpuCores, double memoryMb) {
        return new ContainerView(v.vmid(), v.stepSeconds(), v.lastStepEndEpochSecond(), v.cpuCores(), v.memoryPeakMb(),
                cpuCores, memoryMb, v.throttledFraction(), v.memoryPressurePercent(), v.oomKills(), v.anomaly());
    }

    static final Anomaly ANOMALOUS = new Anomaly(0.72, 0.60, 99.5);
    static final Anomaly NORMAL = new Anomaly(0.45, 0.60, 40);

    static PolicyInput input(ContainerView v, Allocation a) {
        return new PolicyInput(v, a, BIG_NODE, PolicyState.INITIAL, NOW, ShippedSettings.policy());
    }

    static PolicyInput input(ContainerView v, Allocation a, PolicySettings s) {
        return new PolicyInput(v, a, BIG_NODE, PolicyState.INITIAL, NOW, s);
    }
}
