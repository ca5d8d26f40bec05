package io.lxcautoscale.model.notify;

import java.time.Instant;

/**
 * Something that happened: its type, the container (null for node-wide events: the API), what to say, when.
 */
public record Event(EventType type, String vmid, String text, Instant at) {
}
