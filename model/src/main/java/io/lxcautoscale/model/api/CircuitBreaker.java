package io.lxcautoscale.model.api;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-container circuit breaker: after {@code failureThreshold} consecutive failed actions a container's
 * calls are refused for {@code openSeconds}; then one trial call is let through (half-open) — success
 * closes the breaker, failure opens it again.
 */
public final class CircuitBreaker {
    private record State(int failures, Instant openUntil) {
    }

    private final boolean enabled;
    private final int failureThreshold;
    private final long openSeconds;
    private final Clock clock;
    private final Map<String, State> states = new HashMap<>();
    private Listener listener = Listener.NONE;

    /** Told when a breaker opens (or re-opens after a failed trial) and when an open one closes. */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void opened(String key, Instant until) {
            }

            @Override
            public void closed(String key) {
            }
        };

        void opened(String key, Instant until);

        void closed(String key);
    }

    public CircuitBreaker(boolean enabled, int failureThreshold, long openSeconds, Clock clock) {
        this.enabled = enabled;
        this.failureThreshold = failureThreshold;
        this.openSeconds = openSeconds;
        this.clock = clock;
    }

    /** True when a call for {@code vmid} may be made now (closed, or half-open after the timeout). */
    public synchronized boolean allows(String vmid) {
        State s = states.get(vmid);
        return !enabled || s == null || s.openUntil() == null || !clock.instant().isBefore(s.openUntil());
    }

    /** When the breaker of {@code vmid} lets calls through again, or null when closed. */
    public synchronized Instant openUntil(String vmid) {
        State s = states.get(vmid);
        return s == null ? null : s.openUntil();
    }

    /** Sets who is told of openings and closings; must not block. */
    public synchronized void listener(Listener l) {
        listener = l == null ? Listener.NONE : l;
    }

    public synchronized void success(String vmid) {
        State was = states.remove(vmid);
        if (was != null && was.openUntil() != null) {
            listener.closed(vmid);
        }
    }

    /** Records a failure; returns true when this failure opened (or re-opened) the breaker. */
    public synchronized boolean failure(String vmid) {
        if (!enabled) {
            return false;
        }
        State s = states.getOrDefault(vmid, new State(0, null));
        int failures = s.failures() + 1;
        boolean halfOpenTrial = s.openUntil() != null;
        if (failures >= failureThreshold || halfOpenTrial) {
            Instant until = clock.instant().plusSeconds(openSeconds);
            states.put(vmid, new State(failures, until));
            listener.opened(vmid, until);
            return true;
        }
        states.put(vmid, new State(failures, null));
        return false;
    }
}
