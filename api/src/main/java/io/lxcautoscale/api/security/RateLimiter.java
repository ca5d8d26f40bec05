package io.lxcautoscale.api.security;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sliding-window request limit per client address, with a bounded client table (the least recently seen
 * client is forgotten first) so a flood of spoofed sources cannot exhaust memory.
 */
public final class RateLimiter {
    /** The verdict for one request; {@code retryAfterSeconds} is 0 when allowed. */
    public record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds, int retryAfterSeconds) {
    }

    private final int maxRequests;
    private final long windowMillis;
    private final int maxClients;
    private final Map<String, ArrayDeque<Long>> clients;

    public RateLimiter(int maxRequests, int windowSeconds, int maxClients) {
        this.maxRequests = maxRequests;
        this.windowMillis = windowSeconds * 1000L;
        this.maxClients = maxClients;
        this.clients = new LinkedHashMap<>(256, 0.75f, true);
    }

    /** Records a request from {@code client} at {@code nowMillis} if the window has room; rejected requests are not counted. */
    public synchronized Decision acquire(String client, long nowMillis) {
        ArrayDeque<Long> times = clients.get(client);
        if (times == null) {
            if (clients.size() >= maxClients) {
                Iterator<String> eldest = clients.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            times = new ArrayDeque<>();
            clients.put(client, times);
        }
        while (!times.isEmpty() && times.peekFirst() <= nowMillis - windowMillis) {
            times.pollFirst();
        }
        if (times.size() >= maxRequests) {
            long oldest = times.peekFirst();
            long resetMillis = oldest + windowMillis;
            int retry = (int) Math.max(1, (resetMillis - nowMillis + 999) / 1000);
            return new Decision(false, maxRequests, 0, (resetMillis + 999) / 1000, retry);
        }
        times.addLast(nowMillis);
        long reset = (times.peekFirst() + windowMillis + 999) / 1000;
        return new Decision(true, maxRequests, maxRequests - times.size(), reset, 0);
    }
}
