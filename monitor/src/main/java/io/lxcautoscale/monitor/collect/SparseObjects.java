package io.lxcautoscale.monitor.collect;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Nested JSON objects on a streaming generator that are written only if a field goes into them: {@link #open}
 * only notes the field name, the first field inside (at any depth) writes the pending starts, and {@link #close}
 * ends the object if it was started. So an object that would be empty is left out, as the metrics format wants,
 * without building it first. Reused; not thread-safe.
 */
final class SparseObjects {
    private static final int MAX_DEPTH = 4;

    private final String[] names = new String[MAX_DEPTH];
    private final boolean[] started = new boolean[MAX_DEPTH];
    private int depth;
    private JsonGenerator g;

    /** Starts writing on {@code generator}, at the level of the object that holds the sparse ones. */
    void on(JsonGenerator generator) {
        this.g = generator;
        this.depth = 0;
    }

    /** Notes an object under {@code name}, written only once a field goes into it. */
    void open(String name) {
        names[depth] = name;
        started[depth] = false;
        depth++;
    }

    /** Ends the innermost object noted by {@link #open}; nothing is written if it got no field. */
    void close() throws IOException {
        depth--;
        if (started[depth]) {
            g.writeEndObject();
        }
    }

    /** Writes the starts of the pending objects; call before writing a field into the innermost one. */
    private void startPending() throws IOException {
        for (int i = 0; i < depth; i++) {
            if (!started[i]) {
                g.writeObjectFieldStart(names[i]);
                started[i] = true;
            }
        }
    }

    void field(String name, long value) throws IOException {
        startPending();
        g.writeNumberField(name, value);
    }

    void field(String name, int value) throws IOException {
        startPending();
        g.writeNumberField(name, value);
    }

    void field(String name, double value) throws IOException {
        startPending();
        g.writeNumberField(name, value);
    }

    void field(String name, String value) throws IOException {
        startPending();
        g.writeStringField(name, value);
    }

    /** Starts the pending objects and returns the generator, for what the typed fields do not cover (arrays). */
    JsonGenerator generator() throws IOException {
        startPending();
        return g;
    }
}
