package io.lxcautoscale.api.http;

import java.util.Map;

/**
 * One request's state while it goes through the pipeline, kept as an attribute of Javalin's context: the route,
 * when it started, who asked, the time spent in Proxmox tools, and what the access and audit logs record.
 * Only the request's own thread touches it.
 */
public final class Exchange {
    private final RouteDef route;
    private final long startNanos;
    private final String client;
    private String keyId;
    private long toolNanos;
    private Map<String, Object> params = Map.of();
    private String message;

    Exchange(RouteDef route, long startNanos, String client) {
        this.route = route;
        this.startNanos = startNanos;
        this.client = client;
    }

    public RouteDef route() {
        return route;
    }

    long startNanos() {
        return startNanos;
    }

    /** The client address (the forwarded one when the peer is a trusted proxy). */
    public String client() {
        return client;
    }

    /** The short id of the API key presented, or null when none matched. */
    public String keyId() {
        return keyId;
    }

    void keyId(String id) {
        keyId = id;
    }

    /** Adds the duration of one {@code pct} or {@code pvesh} run, reported in the {@code Server-Timing} header. */
    public void addToolTime(long nanos) {
        toolNanos += nanos;
    }

    long toolNanos() {
        return toolNanos;
    }

    Map<String, Object> params() {
        return params;
    }

    void params(Map<String, Object> auditedParams) {
        params = auditedParams;
    }

    String message() {
        return message;
    }

    void message(String text) {
        message = text;
    }
}
