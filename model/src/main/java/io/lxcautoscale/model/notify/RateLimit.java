package io.lxcautoscale.model.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * At most one message per container and event type per interval: later ones are held back and counted, and
 * the count goes out with the next message of the same kind.
 */
final class RateLimit {
    private record Key(String vmid, EventType type) {
    }

    private static final class State {
        Instant lastSent;
        int held;
    }

    private final Duration interval;
    private final Map<Key, State> states = new HashMap<>();

    RateLimit(Duration interval) {
        this.interval = interval;
    }

    /** How many were held back before this one when it may go out now; -1 when it is held back. */
    synchronized int admit(Event e) {
        State s = states.computeIfAbsent(new Key(e.vmid(), e.type()), k -> new State());
        if (s.lastSent != null && e.at().isBefore(s.lastSent.plus(interval))) {
            s.held++;
            return -1;
        }
        int held = s.held;
        s.held = 0;
        s.lastSent = e.at();
        return held;
    }

    /** Forgets containers that are gone (bounded memory). */
    synchronized void forgetOthers(java.util.Collection<String> vmids) {
        states.keySet().removeIf(k -> k.vmid() != null && !vmids.contains(k.vmid()));
    }
}
