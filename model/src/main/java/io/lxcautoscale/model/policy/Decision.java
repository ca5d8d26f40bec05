package io.lxcautoscale.model.policy;

import java.util.List;

/**
 * The policy's verdict for one container: the allocation before and after, per-resource actions, the
 * journal's confidence, and why.
 *
 * @param vmid           the container
 * @param coresBefore    cores now (host CPUs when unset)
 * @param memoryMbBefore memory now, MiB
 * @param coresAfter     cores to set
 * @param memoryMbAfter  memory to set, MiB
 * @param cpuAction      direction of the cores change
 * @param memoryAction   direction of the memory change
 * @param confidence     0–100, see {@link Confidence}
 * @param urgent         an anomalous surge or an OOM skipped the up-cooldown
 * @param skipped        the container was left alone (stopped, locked, ignored…); reasons say why
 * @param anomaly        the model's verdict the decision saw
 * @param reasons        why, in the order the steps decided
 */
public record Decision(String vmid, int coresBefore, int memoryMbBefore, int coresAfter, int memoryMbAfter,
                       Action cpuAction, Action memoryAction, double confidence, boolean urgent, boolean skipped,
                       Anomaly anomaly, List<String> reasons) {
    public Decision {
        reasons = List.copyOf(reasons);
    }

    public boolean changes() {
        return cpuAction != Action.NONE || memoryAction != Action.NONE;
    }

    /** A decision to leave the container alone. */
    public static Decision skip(String vmid, int cores, int memoryMb, Anomaly anomaly, String reason) {
        return new Decision(vmid, cores, memoryMb, cores, memoryMb, Action.NONE, Action.NONE, 0, false, true,
                anomaly, List.of(reason));
    }

    /** All reasons as one sentence for the journal and the log. */
    public String reason() {
        return String.join("; ", reasons);
    }
}
