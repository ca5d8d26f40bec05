package io.lxcautoscale.model.policy;

/**
 * Makes a CPU scale-down wait until it is sure to pay for itself: fewer cores only once the container's CPU
 * use, with the CPU margin, fitted in them at every step of the last {@code cpu_down_hold_hours}
 * ({@link PolicySettings.Cpu#downHoldSteps}). Scale-ups are not touched (a CPU shortfall is served at once).
 *
 * <p>Reads as: the hysteresis proposed {@code fewer} cores than the {@code current} ones. Let {@code peak} be the
 * highest per-step use over the hold window. The cores become {@code max(fewer, min(current, ⌈peak × (1 +
 * margin)⌉ in whole steps))}: a container that touched its current cores within the window keeps them; one
 * that stayed lower all the time goes down, but only as far as the window's peak allows. A history shorter than
 * the window (a new container) is taken whole; the CPU warm-up ({@code cpu_warmup_hours}) keeps the cores of
 * one too new to judge. {@code 0} turns the hold off.
 *
 * <p>Why: the demand estimate follows the last hour's peak, so cores used to come down after every quiet hour
 * and go up again at the next burst — most of the changes the replay counted. A change that is undone within
 * hours saves almost nothing and costs a resize; waiting for a sustained low keeps only the scale-downs that
 * last.
 */
public final class CpuDownHold implements PolicyStep {
    @Override
    public Proposal apply(Proposal p, PolicyInput in) {
        int current = in.currentCores();
        int hold = in.settings().cpu().downHoldSteps();
        if (p.cores() >= current || hold <= 0) {
            return p;
        }
        PolicySettings.Cpu cpu = in.settings().cpu();
        double[] window = Series.tail(in.view().cpuCores(), hold);
        if (window.length == 0) {
            return p;
        }
        double hours = Math.min(hold, in.view().steps()) * (double) in.view().stepSeconds() / 3600;
        double peak = Series.max(window, hold);
        int covering = Hysteresis.roundUp(peak * (1 + cpu.marginFraction()), cpu.stepCores());
        int cores = Math.max(p.cores(), Math.min(current, covering));
        if (cores == p.cores()) {
            return p;
        }
        String held = String.format("CPU use peaked at %.2f cores in the last %.1f h (%d cores with the margin)", peak, hours, covering);
        return p.withAllocation(cores, p.memoryMb()).because(cores == current
                ? held + ": stays at " + current + " cores"
                : held + ": down to " + cores + " cores only");
    }
}
