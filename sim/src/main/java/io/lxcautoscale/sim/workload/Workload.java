package io.lxcautoscale.sim.workload;

import java.util.List;

/** The processes of one simulated container: how much CPU, memory, I/O and network they want over time. */
public sealed interface Workload {
    /** The demand at {@code simSeconds} since the simulation started. */
    Demand demand(double simSeconds);

    /** Called when the kernel OOM-killed a process of this container: the workload loses what the kill freed. */
    default void oomKilled(double simSeconds) {
    }

    /** Near-zero use: an over-provisioned container (the scale-down case). */
    record Idle(double cpuCores, Profile profile) implements Workload {
        public Demand demand(double t) {
            return profile.demand(t, cpuCores, profile.memoryMb(), 0.05);
        }
    }

    /** Constant demand with jitter (a busy container with too few cores shows the scale-up case). */
    record Steady(double cpuCores, Profile profile) implements Workload {
        public Demand demand(double t) {
            return profile.demand(t, cpuCores, profile.memoryMb(), 1);
        }
    }

    /** A daily cycle: a raised-cosine between {@code minCores} and {@code peakCores}, peaking at {@code peakAtSeconds} of each period. */
    record Diurnal(double minCores, double peakCores, double periodSeconds, double peakAtSeconds, double peakExtraMemoryMb,
                   Profile profile) implements Workload {
        public Demand demand(double t) {
            double level = 0.5 * (1 + Math.cos(2 * Math.PI * (t - peakAtSeconds) / periodSeconds));
            return profile.demand(t, minCores + (peakCores - minCores) * level, profile.memoryMb() + peakExtraMemoryMb * level,
                    0.2 + level);
        }
    }

    /**
     * A baseline with random bursts (an anomaly generator): each window of {@code burstSeconds} is a burst with
     * probability {@code burstsPerHour × burstSeconds / 3600}; a burst adds CPU and memory.
     */
    record Bursty(double baseCores, double burstCores, double burstMemoryMb, double burstSeconds, double burstsPerHour,
                  Profile profile) implements Workload {
        public Demand demand(double t) {
            boolean burst = inBurst(t);
            return profile.demand(t, burst ? burstCores : baseCores, profile.memoryMb() + (burst ? burstMemoryMb : 0),
                    burst ? 3 : 0.5);
        }

        public boolean inBurst(double t) {
            long window = (long) Math.floor(t / burstSeconds);
            double p = Math.min(1, burstsPerHour * burstSeconds / 3600);
            return Noise.unit(profile.seed() ^ 0x7F4A7C15L, window) < p;
        }
    }

    /**
     * Memory that grows by {@code leakMbPerHour} from the profile's memory (up to {@code plateauMb} if above 0);
     * an OOM kill restarts the leaking process, back to the profile's memory.
     */
    final class MemoryLeak implements Workload {
        private final double cpuCores;
        private final double leakMbPerHour;
        private final double plateauMb;
        private final Profile profile;
        private double leakStartSeconds;

        public MemoryLeak(double cpuCores, double leakMbPerHour, double plateauMb, Profile profile) {
            this.cpuCores = cpuCores;
            this.leakMbPerHour = leakMbPerHour;
            this.plateauMb = plateauMb;
            this.profile = profile;
        }

        public Demand demand(double t) {
            double mb = profile.memoryMb() + leakMbPerHour * Math.max(0, t - leakStartSeconds) / 3600;
            if (plateauMb > 0) {
                mb = Math.min(mb, plateauMb);
            }
            return profile.demand(t, cpuCores, mb, 1);
        }

        @Override
        public void oomKilled(double t) {
            leakStartSeconds = t;
        }
    }

    /**
     * Replays a recorded trace: sample {@code i} covers simulated seconds {@code [i·sampleSeconds, (i+1)·sampleSeconds)},
     * linearly interpolated, looping at the end; CPU and memory scaled by the given factors.
     */
    record TraceReplay(String name, List<TraceSample> samples, double sampleSeconds, int startIndex, double cpuScale,
                       double memoryScale, Profile profile) implements Workload {
        public Demand demand(double t) {
            double pos = t / sampleSeconds + startIndex;
            int n = samples.size();
            int i = (int) Math.floor(pos) % n;
            double f = pos - Math.floor(pos);
            TraceSample a = samples.get(i);
            TraceSample b = samples.get((i + 1) % n);
            double cpu = (a.cpuCores() + f * (b.cpuCores() - a.cpuCores())) * cpuScale;
            double memMb = a.memoryBytes() < 0 ? profile.memoryMb()
                    : (a.memoryBytes() + f * (b.memoryBytes() - a.memoryBytes())) / (1 << 20) * memoryScale;
            Demand d = profile.demand(t, cpu, memMb, 1);
            if (a.readKbPerSecond() < 0) {
                return d;
            }
            // the trace's own I/O and network rates replace the profile's
            return new Demand(d.cpuCores(), d.anonBytes(), d.fileBytes(), a.readKbPerSecond() * 1024, a.writeKbPerSecond() * 1024,
                    a.rxKbPerSecond() * 1024, a.txKbPerSecond() * 1024, d.processes(), d.shmemBytes());
        }
    }
}
