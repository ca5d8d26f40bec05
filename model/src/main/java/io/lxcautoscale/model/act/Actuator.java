package io.lxcautoscale.model.act;

import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.api.ApiException;
import io.lxcautoscale.model.api.CircuitBreaker;
import io.lxcautoscale.model.policy.Action;
import io.lxcautoscale.model.policy.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one decision out through the API, memory and cores independently of each other.
 *
 * <ul>
 *   <li>A memory increase goes first: it is what an OOM kill or memory pressure needs, and it must not
 *       wait behind (nor be lost to) a cores change.</li>
 *   <li>Then cores, then a memory decrease. A failure of one resource never stops another.</li>
 *   <li>Each resource and direction has its own circuit breaker ({@code vmid/cpu}, {@code vmid/memory-up},
 *       {@code vmid/memory-down}): a cores change that keeps failing never blocks memory, and a memory decrease
 *       the API keeps refusing (its live floor) never blocks the increase an OOM kill needs.</li>
 * </ul>
 */
public final class Actuator {
    private static final Logger LOG = LoggerFactory.getLogger(Actuator.class);

    private final ApiClient api;
    private final CircuitBreaker breaker;

    public Actuator(ApiClient api, CircuitBreaker breaker) {
        this.api = api;
        this.breaker = breaker;
    }

    /** Applies {@code d}'s changes; never throws for an API failure (it is in the result). */
    public Actuation apply(Decision d) throws InterruptedException {
        String vmid = d.vmid();
        LOG.info("Applying scaling actions for container {}: CPU - {}, RAM - {} | Confidence: {}%",
                vmid, d.cpuAction().logName(), d.memoryAction().logName(), String.format("%.2f", d.confidence()));
        Actuation.Step memory = Actuation.Step.NONE;
        String memoryError = null;
        if (d.memoryAction() == Action.UP) {
            memoryError = setMemory(d);
            memory = memoryError == null ? Actuation.Step.APPLIED : Actuation.Step.FAILED;
        }
        Actuation.Step cpu = Actuation.Step.NONE;
        String cpuError = null;
        if (d.cpuAction() != Action.NONE) {
            cpuError = setCores(d);
            cpu = cpuError == null ? Actuation.Step.APPLIED : Actuation.Step.FAILED;
        }
        if (d.memoryAction() == Action.DOWN) {
            memoryError = setMemory(d);
            memory = memoryError == null ? Actuation.Step.APPLIED : Actuation.Step.FAILED;
        }
        Actuation a = new Actuation(cpu, memory, cpuError, memoryError);
        if (a.allApplied()) {
            LOG.info("container {}: scaled to {} cores, {} MiB", vmid, d.coresAfter(), d.memoryMbAfter());
        } else {
            LOG.error("container {}: scaling failed: {}", vmid, a.error());
        }
        return a;
    }

    private String setMemory(Decision d) throws InterruptedException {
        String breakerKey = d.memoryAction() == Action.UP ? "memory-up" : "memory-down";
        return call(d.vmid(), "memory", breakerKey, () -> api.setMemory(d.vmid(), d.memoryMbAfter()));
    }

    private String setCores(Decision d) throws InterruptedException {
        return call(d.vmid(), "cpu", "cpu", () -> api.setCores(d.vmid(), d.coresAfter()));
    }

    private interface Call {
        void run() throws ApiException, InterruptedException;
    }

    /** One resource's call behind its breaker ({@code vmid/breakerName}); null when it succeeded, else why not. */
    private String call(String vmid, String resource, String breakerName, Call c) throws InterruptedException {
        String key = vmid + "/" + breakerName;
        if (!breaker.allows(key)) {
            return resource + ": circuit breaker open until " + breaker.openUntil(key);
        }
        try {
            c.run();
            breaker.success(key);
            return null;
        } catch (ApiException e) {
            boolean opened = breaker.failure(key);
            return resource + ": " + e.getMessage() + (opened ? " (circuit breaker opened)" : "");
        }
    }
}
