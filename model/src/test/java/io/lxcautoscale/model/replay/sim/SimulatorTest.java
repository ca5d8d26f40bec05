package io.lxcautoscale.model.replay.sim;

import io.lxcautoscale.model.replay.trace.Trace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulatorTest {
    /** A policy that returns a fixed script of allocations and records what it saw. */
    static final class Scripted implements ReplayPolicy {
        final List<Observation> seen = new ArrayList<>();
        final Resources[] script;

        Scripted(Resources... script) {
            this.script = script;
        }

        @Override
        public Resources observe(Observation o) {
            seen.add(o);
            return script[o.step()];
        }
    }

    static PolicyFactory factory(Scripted p) {
        return new PolicyFactory() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public ReplayPolicy create(Bounds bounds, long stepSeconds) {
                return p;
            }
        };
    }

    /**
     * Provisioned 4 cores / 1000 MB, Δ = 300 s, steps at 23:55, 00:00 and 00:05 UTC (two calendar days).
     * <pre>
     * t  d    m     cores mem   u    v    slack  short  oom
     * 0  1.0  400   4     1000  1.0  400  3.0    0      no
     * 1  3.0  700   2     500   2.0  500  0      1.0    yes
     * 2  6→4  1200→1000  4 800  4.0  800  0      0      yes
     * </pre>
     * (demand above the provisioned size is clipped first)
     */
    @Test
    void accountsAHandComputedThreeStepTrace() {
        long midnight = 86_400L * 20_000;
        Trace trace = new Trace("t", 300, new long[] {midnight - 300, midnight, midnight + 300},
                new double[] {1.0, 3.0, 6.0}, new double[] {400, 700, 1200}, 4, 1000);
        Scripted p = new Scripted(new Resources(2, 500), new Resources(9, 800), new Resources(1, 100));

        TraceScore s = Simulator.run(trace, factory(p));

        assertThat(s.steps()).isEqualTo(3);
        assertThat(s.coreSteps()).isEqualTo(4 + 2 + 4);
        assertThat(s.unusedCoreSteps()).isEqualTo(3.0);
        assertThat(s.cpuSlack()).isEqualTo(0.3);
        assertThat(s.demandCoreSteps()).isEqualTo(1 + 3 + 4);
        assertThat(s.cpuShortage()).isEqualTo(1.0 / 8);
        assertThat(s.throttledSteps()).isEqualTo(1);
        assertThat(s.memoryMbSteps()).isEqualTo(1000 + 500 + 800);
        assertThat(s.unusedMemoryMbSteps()).isEqualTo(600);
        assertThat(s.memorySlack()).isCloseTo(600.0 / 2300, within(1e-12));
        assertThat(s.oomSteps()).isEqualTo(2);
        assertThat(s.containerDays()).isEqualTo(2);
        assertThat(s.oomFreeDays()).isEqualTo(1);
        assertThat(s.changes()).isEqualTo(2);          // t=1 and t=2 differ from their predecessors
        assertThat(s.changesPerDay()).isCloseTo(2 / (900.0 / 86_400), within(1e-9));
        assertThat(s.wastedCoreHours()).isCloseTo(3.0 * 300 / 3600, within(1e-12));
        assertThat(s.wastedGbHours()).isCloseTo(600.0 * 300 / 1024 / 3600, within(1e-12));

        // what the policy saw: never the demand itself
        Observation o1 = p.seen.get(1);
        assertThat(o1.usedCores()).isEqualTo(2.0);
        assertThat(o1.throttled()).isTrue();
        assertThat(o1.throttledFraction()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(o1.usedMemoryMb()).isEqualTo(500.0);
        assertThat(o1.oomKilled()).isTrue();
        // the policy asked for 9 cores at t=1: clamped to the provisioned 4
        Observation o2 = p.seen.get(2);
        assertThat(o2.cores()).isEqualTo(4);
        assertThat(o2.memoryMb()).isEqualTo(800);
        assertThat(o2.usedCores()).isEqualTo(4.0);      // 6 cores demanded, clipped to 4
        assertThat(o2.throttled()).isFalse();
        assertThat(o2.usedMemoryMb()).isEqualTo(800.0); // 1200 MB clipped to 1000, still above 800
        assertThat(o2.oomKilled()).isTrue();
    }

    @Test
    void memoryIsNeverSetBelowTheFloorNorCoresBelowOne() {
        Bounds b = Bounds.forProvisioned(8, 4096, true);
        assertThat(b.clamp(new Resources(0, 10))).isEqualTo(new Resources(1, 256));
        assertThat(b.clamp(new Resources(99, 99_999))).isEqualTo(new Resources(8, 4096));
        // a container provisioned below 256 MB keeps its size as the floor
        assertThat(Bounds.forProvisioned(1, 200, true).clamp(new Resources(1, 10)).memoryMb()).isEqualTo(200);
        assertThat(Bounds.forProvisioned(2, 0, false).clamp(new Resources(1, 10)).memoryMb()).isZero();
    }

    @Test
    void withoutMemoryTheMemoryScoresDoNotApply() {
        Trace trace = new Trace("p", 300, new long[] {0, 300}, new double[] {0.5, 2.5}, null, 2, 0);
        TraceScore s = Simulator.run(trace, factory(new Scripted(new Resources(1, 0), new Resources(1, 0))));
        assertThat(s.memorySlack()).isNaN();
        assertThat(s.oomFreeDayShare()).isNaN();
        assertThat(s.cpuShortage()).isCloseTo(1.0 / 2.5, within(1e-12)); // 2.5 clipped to 2, 1 core given
        assertThat(TraceScore.EMPTY.plus(s).plus(s).hasMemory()).isFalse();
        assertThat(TraceScore.EMPTY.plus(s).plus(s).steps()).isEqualTo(4);
    }
}
