package io.lxcautoscale.model.notify;

import java.time.Instant;
import java.util.List;

/**
 * One message as every notifier sends it.
 *
 * @param event    the event type's key, or {@code digest}
 * @param vmid     the container, or null
 * @param title    one line
 * @param body     the text
 * @param priority 1 (min) to 5 (max)
 * @param tags     ntfy tags
 * @param heldBack messages of the same container and event type held back by the rate limit since the last one sent
 * @param at       when it happened
 */
public record Message(String event, String vmid, String title, String body, int priority, List<String> tags, int heldBack,
                      Instant at) {
    public Message {
        tags = List.copyOf(tags);
    }
}
