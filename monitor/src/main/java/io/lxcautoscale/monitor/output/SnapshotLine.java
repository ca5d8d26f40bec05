package io.lxcautoscale.monitor.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One snapshot as the compact JSON text of its metrics line (UTF-8, without the {@code '\n'}), in a byte buffer
 * that is reused cycle after cycle, plus the summary figures the loop logs. The collector writes it as an
 * {@link OutputStream}; the contents are valid until the next {@link #reset}. Not thread-safe.
 */
public final class SnapshotLine extends OutputStream {
    private byte[] bytes = new byte[64 * 1024];
    private int length;
    private int collectedContainers;
    private int totalContainers;
    private double durationSeconds;

    /** A line holding {@code snapshot} serialised as {@code Json.mapper()} would (the simulator's and tests' trees). */
    public static SnapshotLine of(ObjectNode snapshot) {
        SnapshotLine line = new SnapshotLine();
        try {
            Json.mapper().writeValue(line, snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writes to memory only
        }
        JsonNode summary = snapshot.path("summary");
        line.summary(summary.path("collected_containers").asInt(), summary.path("total_containers").asInt(),
                summary.path("total_duration_seconds").asDouble());
        return line;
    }

    /** Empties the buffer for the next snapshot (its capacity is kept). */
    public void reset() {
        length = 0;
        collectedContainers = 0;
        totalContainers = 0;
        durationSeconds = 0;
    }

    /** Records the summary figures written into the line. */
    public void summary(int collected, int total, double seconds) {
        this.collectedContainers = collected;
        this.totalContainers = total;
        this.durationSeconds = seconds;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** The buffer: the line is {@code bytes()[0 .. length())}. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** The snapshot parsed back into a tree (tests and callers that inspect it; the loop writes the bytes). */
    public ObjectNode toTree() {
        try {
            return (ObjectNode) Json.mapper().readTree(bytes, 0, length);
        } catch (IOException e) {
            throw new IllegalStateException("the collector wrote a line that is not JSON", e);
        }
    }

    public int collectedContainers() {
        return collectedContainers;
    }

    public int totalContainers() {
        return totalContainers;
    }

    public double durationSeconds() {
        return durationSeconds;
    }
}
