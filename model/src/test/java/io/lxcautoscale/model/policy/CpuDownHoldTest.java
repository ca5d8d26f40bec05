package io.lxcautoscale.model.policy;

import static io.lxcautoscale.model.policy.Fixtures.NOW;
import static io.lxcautoscale.model.policy.Fixtures.input;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.model.testing.ShippedSettings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The CPU down-hold on its own: a one-hour hold (12 steps of 300 s), the shipped 10 % CPU margin and whole cores.
 * Expected cores are worked out by hand from the window's peak: ⌈peak × 1.1⌉, never above the current cores and
 * never below what the hysteresis proposed.
 */
class CpuDownHoldTest {
    private static final PolicySettings ONE_HOUR = ShippedSettings.policyWith("scaling: {cpu_down_hold_hours: 1}");

    /** 24 steps at 0.5 cores, with {@code peak} cores {@code stepsBack} steps before the end (1 = the latest step). */
    private static ContainerView history(int steps, double peak, int stepsBack) {
        double[] cpu = new double[steps];
        double[] mem = new double[steps];
        Arrays.fill(cpu, 0.5);
        Arrays.fill(mem, 500);
        cpu[steps - stepsBack] = peak;
        return new ContainerView("101", 300, NOW.getEpochSecond(), cpu, mem, cpu[steps - 1], 500, 0, 0, 0, Anomaly.NONE);
    }

    /** The hysteresis' proposal of {@code cores} for a container that has 4, through the hold. */
    private static int held(ContainerView v, int proposedCores, PolicySettings s) {
        PolicyInput in = input(v, Allocation.running("101", 4, 1024), s);
        return new CpuDownHold().apply(Proposal.keep(in).withAllocation(proposedCores, 1024), in).cores();
    }

    @Test
    void goesDownOnlyAsFarAsTheWindowsPeakWithTheMarginAllows() {
        // peak 1.5 five steps back: 1.5 × 1.1 = 1.65 → 2 cores, not the proposed 1
        assertThat(held(history(24, 1.5, 5), 1, ONE_HOUR)).isEqualTo(2);
    }

    @Test
    void keepsTheCoresWhenTheWindowTouchedThem() {
        // peak 2.8 at the start of the window (12 steps back): 3.08 → 4 cores = the current ones
        assertThat(held(history(24, 2.8, 12), 1, ONE_HOUR)).isEqualTo(4);
    }

    @Test
    void aPeakBeforeTheWindowDoesNotHold() {
        // 3.5 cores 13 steps back is outside the 12-step window: the rest is 0.5 × 1.1 = 0.55 → 1 core
        assertThat(held(history(24, 3.5, 13), 1, ONE_HOUR)).isEqualTo(1);
    }

    @Test
    void aQuietWindowLetsTheProposalThrough() {
        // peak 0.8 → 0.88 → 1 core: the proposed 1 stands; a proposal of 3 stands too (the hold never lowers)
        assertThat(held(history(24, 0.8, 3), 1, ONE_HOUR)).isEqualTo(1);
        assertThat(held(history(24, 0.8, 3), 3, ONE_HOUR)).isEqualTo(3);
    }

    @Test
    void aHistoryShorterThanTheWindowIsTakenWhole() {
        // 8 steps known, 2.2 cores 8 steps back (the oldest): 2.42 → 3 cores; without it 0.55 → 1 core
        assertThat(held(history(8, 2.2, 8), 1, ONE_HOUR)).isEqualTo(3);
        assertThat(held(history(8, 0.5, 1), 1, ONE_HOUR)).isEqualTo(1);
    }

    @Test
    void scaleUpsAndMemoryAreNotTouched() {
        PolicyInput in = input(history(24, 3.9, 1), Allocation.running("101", 4, 1024), ONE_HOUR);
        Proposal up = Proposal.keep(in).withAllocation(6, 2048);
        Proposal out = new CpuDownHold().apply(up, in);
        assertThat(out.cores()).isEqualTo(6);
        assertThat(out.memoryMb()).isEqualTo(2048);
    }

    @Test
    void zeroHoursTurnsItOff() {
        PolicySettings off = ShippedSettings.policyWith("scaling: {cpu_down_hold_hours: 0}");
        assertThat(held(history(3, 2.8, 1), 1, off)).isEqualTo(1);
    }

    @Test
    void theHoursBecomeStepsRoundedUp() {
        // 0.51 h = 1836 s = 6.12 steps of 300 s → 7 steps
        assertThat(ShippedSettings.policyWith("scaling: {cpu_down_hold_hours: 0.51}").cpu().downHoldSteps()).isEqualTo(7);
        assertThat(ONE_HOUR.cpu().downHoldSteps()).isEqualTo(12);
    }
}
