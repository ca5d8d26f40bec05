package io.lxcautoscale.monitor.output;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Logs a recurring condition once when it starts and once when it ends, instead of every cycle, so a
 * problem that lasts a day (disk full, a missing directory) leaves two log lines, not 8,640.
 */
public final class WarnOnce {
    private final Logger log;
    private final Set<String> active = new HashSet<>();

    public WarnOnce(Logger log) {
        this.log = log;
    }

    /** Logs {@code message} at WARN unless condition {@code key} is already active; returns true when logged. */
    public synchronized boolean warn(String key, String message) {
        if (active.add(key)) {
            log.warn(message);
            return true;
        }
        return false;
    }

    /** Ends condition {@code key}, logging {@code message} at INFO if it was active. */
    public synchronized void resolved(String key, String message) {
        if (active.remove(key)) {
            log.info(message);
        }
    }

    /** Ends every condition whose key starts with {@code prefix}, silently. */
    public synchronized void forget(String prefix) {
        active.removeIf(k -> k.startsWith(prefix));
    }

    public synchronized boolean isActive(String key) {
        return active.contains(key);
    }
}
