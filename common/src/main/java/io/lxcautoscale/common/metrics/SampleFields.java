package io.lxcautoscale.common.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Which fields of a container sample a consumer wants, each at a slot of a primitive row: numbers
 * (a field that is not a JSON number reads as NaN), texts, and "is this an object" flags (1 or NaN in
 * the number slots), lists of strings (an array's string elements), and optionally the text of the
 * {@code "timestamp"} itself. Paths name nested keys, e.g. {@code ("memory", "events", "oom_kill")}. The
 * sample's {@code "timestamp"} is always read, into epoch seconds. Everything else in a sample is
 * skipped by the parser without being decoded. Immutable once built.
 */
public final class SampleFields {
    /** One key level: what to do with a value found under this key, and the keys below it. */
    static final class Node {
        final Map<String, Node> children = new HashMap<>();
        int numberSlot = -1;
        int textSlot = -1;
        int objectSlot = -1;
        int textListSlot = -1;

        Node child(String name) {
            return children.get(name);
        }
    }

    private final Node root = new Node();
    private int numberSlots;
    private int textSlots;
    private int textListSlots;
    private int timestampTextSlot = -1;

    /** Wants the number at {@code path}; returns its slot in {@link SampleRow#number(int)}. */
    public int number(String... path) {
        node(path).numberSlot = numberSlots;
        return numberSlots++;
    }

    /** Wants to know whether {@code path} holds an object: 1 in the returned number slot if so, else NaN. */
    public int isObject(String... path) {
        node(path).objectSlot = numberSlots;
        return numberSlots++;
    }

    /** Wants the string at {@code path}; returns its slot in {@link SampleRow#text(int)}. */
    public int text(String... path) {
        node(path).textSlot = textSlots;
        return textSlots++;
    }

    /**
     * Wants the string elements of the array at {@code path} (other elements are left out); returns its
     * slot in {@link SampleRow#texts(int)}. A field that is not an array reads as absent.
     */
    public int texts(String... path) {
        node(path).textListSlot = textListSlots;
        return textListSlots++;
    }

    /**
     * Wants the {@code "timestamp"} string as written, besides its epoch second; returns its slot in
     * {@link SampleRow#text(int)}. Asking twice returns the same slot.
     */
    public int timestampText() {
        if (timestampTextSlot < 0) {
            timestampTextSlot = textSlots++;
        }
        return timestampTextSlot;
    }

    public int numberSlots() {
        return numberSlots;
    }

    public int textSlots() {
        return textSlots;
    }

    public int textListSlots() {
        return textListSlots;
    }

    /** The text slot of the timestamp string, -1 when not wanted. */
    int timestampTextSlot() {
        return timestampTextSlot;
    }

    Node root() {
        return root;
    }

    private Node node(String[] path) {
        if (path.length == 0) {
            throw new IllegalArgumentException("a field path needs at least one key");
        }
        if (path.length == 1 && path[0].equals("timestamp")) {
            throw new IllegalArgumentException("\"timestamp\" is always read, into epoch seconds");
        }
        Node n = root;
        for (String p : path) {
            n = n.children.computeIfAbsent(p, k -> new Node());
        }
        return n;
    }
}
