package io.lxcautoscale.model.cluster;

import io.lxcautoscale.model.policy.Allocation;
import io.lxcautoscale.model.policy.CandidateBank;
import io.lxcautoscale.model.policy.ContainerView;
import io.lxcautoscale.model.policy.Decision;
import io.lxcautoscale.model.policy.NodeCapacity;
import io.lxcautoscale.model.policy.NodeCapacityLimit;
import io.lxcautoscale.model.policy.PolicyState;
import io.lxcautoscale.model.policy.ScalingPolicy;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * The cores and memory a container wanted before its node's capacity capped them: the same pure policy decision
 * again, on a node too large to cap anything (every other step — limits, cooldowns, memory floor — still applies).
 *
 * @param cores    wanted cores
 * @param memoryMb wanted memory, MiB
 */
public record WantedSize(int cores, int memoryMb) {
    /** CPUs and MiB of the imaginary node: more than any limit ({@code max_cpu_cores}, {@code max_ram_mb}) allows. */
    private static final int UNBOUNDED_CPUS = 1 << 20;
    private static final long UNBOUNDED_MEMORY_MB = 1L << 40;

    /** True when the node's capacity capped this decision ({@link NodeCapacityLimit} says so in a reason). */
    public static boolean capped(Decision d) {
        return !d.skipped() && d.reasons().stream().anyMatch(WantedSize::isCapReason);
    }

    /** The decision's capacity reasons, joined. */
    public static String capReasons(Decision d) {
        return d.reasons().stream().filter(WantedSize::isCapReason).collect(Collectors.joining("; "));
    }

    private static boolean isCapReason(String reason) {
        return reason.startsWith(NodeCapacityLimit.REASON_PREFIX);
    }

    /**
     * The size the capped decision {@code d} wanted, from the inputs it was made with. A container without a
     * {@code cores} line keeps the cores it has (the policy leaves its CPU alone).
     */
    public static WantedSize of(ScalingPolicy policy, ContainerView view, Allocation current, NodeCapacity node,
                                PolicyState state, CandidateBank bank, Instant now, Decision d) {
        int cpus = current.coresUnset() ? node.cpus() : UNBOUNDED_CPUS;
        NodeCapacity unbounded = new NodeCapacity(cpus, UNBOUNDED_MEMORY_MB, current.effectiveCores(node), current.memoryMb());
        Decision uncapped = policy.decide(view, current, unbounded, state, bank, now);
        return new WantedSize(current.coresUnset() ? d.coresAfter() : Math.max(d.coresAfter(), uncapped.coresAfter()),
                Math.max(d.memoryMbAfter(), uncapped.memoryMbAfter()));
    }
}
