package io.lxcautoscale.model.notify;

import java.util.Arrays;
import java.util.List;

/** What the model daemon notifies about; {@link #key()} is the name in {@code notifications.events}. */
public enum EventType {
    CHANGE_APPLIED("change_applied", "change applied", 3, "white_check_mark"),
    CHANGE_FAILED("change_failed", "change failed or refused", 4, "warning"),
    OOM_KILL("oom_kill", "OOM kill", 4, "skull"),
    BREAKER_OPENED("breaker_opened", "circuit breaker opened", 4, "no_entry"),
    BREAKER_CLOSED("breaker_closed", "circuit breaker closed", 3, "arrows_counterclockwise"),
    API_UNREACHABLE("api_unreachable", "API unreachable", 5, "rotating_light"),
    API_BACK("api_back", "API reachable again", 3, "green_circle"),
    CAPACITY_CAPPED("capacity_capped", "capped by node capacity", 3, "chart_with_upwards_trend");

    private final String key;
    private final String title;
    private final int priority;
    private final String tag;

    EventType(String key, String title, int priority, String tag) {
        this.key = key;
        this.title = title;
        this.priority = priority;
        this.tag = tag;
    }

    /** The name in the configuration and in the webhook's JSON. */
    public String key() {
        return key;
    }

    /** Words for a message title. */
    public String title() {
        return title;
    }

    /** 1 (min) to 5 (max), ntfy's scale. */
    public int priority() {
        return priority;
    }

    /** An ntfy tag (emoji short code). */
    public String tag() {
        return tag;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(EventType::key).toList();
    }

    public static EventType of(String key) {
        for (EventType t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event " + key);
    }
}
