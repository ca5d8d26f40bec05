package io.lxcautoscale.common.metrics;

import java.io.IOException;

/**
 * Turns the bytes of one snapshot (a line, or an element of the original's array) into what a
 * consumer of {@link MetricsReader} wants. Parsing and delivery are separate steps so that a snapshot
 * found corrupt delivers nothing, and an exception of the consumer is not taken for corruption.
 */
public interface SnapshotDecoder {
    /**
     * Parses the snapshot in {@code bytes[offset, offset + length)} and holds it for {@link #deliver()}.
     *
     * @throws com.fasterxml.jackson.core.JacksonException if it is not well-formed JSON (its location
     *                                                     counts from {@code offset})
     * @throws IOException                                 on other read problems
     * @throws IllegalArgumentException                    if it is JSON but not one snapshot object
     */
    void parse(byte[] bytes, int offset, int length) throws IOException;

    /** Passes the snapshot parsed last on; an exception here propagates out of the poll. */
    void deliver();
}
