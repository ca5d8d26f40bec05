package io.lxcautoscale.common.pveapi;

import java.util.Optional;

/**
 * {@code GET /nodes/{node}/tasks/{upid}/status}: a task such as a migration ({@code vzmigrate}).
 *
 * @param status     {@code running} or {@code stopped}
 * @param exitstatus once stopped: {@code OK}, {@code WARNINGS: n} or the error
 */
public record PveTaskStatus(String upid, String node, String type, String id, String status, Optional<String> exitstatus) {
    public boolean running() {
        return "running".equals(status);
    }

    /** Stopped and ended {@code OK} (or with warnings only). */
    public boolean succeeded() {
        return !running() && exitstatus.map(e -> e.equals("OK") || e.startsWith("WARNINGS")).orElse(false);
    }
}
