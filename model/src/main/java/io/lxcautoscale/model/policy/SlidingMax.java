package io.lxcautoscale.model.policy;

/**
 * The maximum of the values pushed during the last {@code window} steps, in amortised O(1) per step (a
 * monotonic queue of the values that can still become the maximum). A step may also pass without a value
 * ({@link #skip}); the maximum is NaN while the window holds no value.
 */
final class SlidingMax {
    private final int window;
    private final double[] values;
    private final long[] steps;
    private int head;
    private int size;
    private long step;

    SlidingMax(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.window = window;
        this.values = new double[window];
        this.steps = new long[window];
    }

    /** One step with {@code value}. */
    void push(double value) {
        expire();
        while (size > 0 && values[slot(size - 1)] <= value) {
            size--;
        }
        int s = slot(size);
        values[s] = value;
        steps[s] = step;
        size++;
        step++;
    }

    /** One step without a value. */
    void skip() {
        expire();
        step++;
    }

    /** The maximum over the last {@code window} steps, NaN when none of them had a value. */
    double max() {
        // the newest step is step - 1; a value pushed at s is in the window while s > step - 1 - window
        while (size > 0 && steps[head] <= step - 1 - window) {
            head = (head + 1) % window;
            size--;
        }
        return size == 0 ? Double.NaN : values[head];
    }

    /** Drops values that leave the window with the coming step, so the queue never exceeds {@code window}. */
    private void expire() {
        while (size > 0 && steps[head] <= step - window) {
            head = (head + 1) % window;
            size--;
        }
    }

    private int slot(int i) {
        return (head + i) % window;
    }
}
