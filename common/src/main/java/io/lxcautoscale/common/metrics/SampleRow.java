package io.lxcautoscale.common.metrics;

import java.util.Arrays;

/**
 * One container sample as primitives: its VMID, the epoch second of its {@code "timestamp"}, and the
 * fields a {@link SampleFields} asked for. Reused from sample to sample: copy what you keep.
 */
public final class SampleRow {
    private String vmid;
    private long epochSecond;
    private String timestampProblem;
    private final double[] numbers;
    private final char[][] texts;
    private final int[] textLengths;
    private final String[] textStrings;

    SampleRow(SampleFields fields) {
        numbers = new double[fields.numberSlots()];
        texts = new char[fields.textSlots()][16];
        textLengths = new int[fields.textSlots()];
        textStrings = new String[fields.textSlots()];
    }

    void reset(String vmid) {
        this.vmid = vmid;
        this.epochSecond = 0;
        this.timestampProblem = "no \"timestamp\" string";
        Arrays.fill(numbers, Double.NaN);
        Arrays.fill(textLengths, -1);
        Arrays.fill(textStrings, null);
    }

    void setEpochSecond(long epochSecond) {
        this.epochSecond = epochSecond;
        this.timestampProblem = null;
    }

    void setTimestampProblem(String problem) {
        this.timestampProblem = problem;
    }

    void setNumber(int slot, double value) {
        numbers[slot] = value;
    }

    void setText(int slot, char[] source, int offset, int length) {
        if (texts[slot].length < length) {
            texts[slot] = new char[Math.max(length, texts[slot].length * 2)];
        }
        System.arraycopy(source, offset, texts[slot], 0, length);
        textLengths[slot] = length;
        textStrings[slot] = null;
    }

    void setText(int slot, String value) {
        setText(slot, value.toCharArray(), 0, value.length());
        textStrings[slot] = value;
    }

    /** The key of the container in the snapshot. */
    public String vmid() {
        return vmid;
    }

    /** True when the sample has a valid {@code "timestamp"}. */
    public boolean hasTime() {
        return timestampProblem == null;
    }

    /** The timestamp in epoch seconds (fraction dropped); only meaningful if {@link #hasTime()}. */
    public long epochSecond() {
        return epochSecond;
    }

    /** Why the sample has no usable timestamp, or null when it has one. */
    public String timestampProblem() {
        return timestampProblem;
    }

    /** The number in {@code slot}, NaN when the field was absent or not a number. */
    public double number(int slot) {
        return numbers[slot];
    }

    /** The string in {@code slot}, null when the field was absent or not a string. */
    public String text(int slot) {
        if (textLengths[slot] < 0) {
            return null;
        }
        if (textStrings[slot] == null) {
            textStrings[slot] = new String(texts[slot], 0, textLengths[slot]);
        }
        return textStrings[slot];
    }

    /** Whether the field in {@code slot} was a string. */
    public boolean hasText(int slot) {
        return textLengths[slot] >= 0;
    }

    /** Whether the string in {@code slot} is present and equal to {@code value}, without building a string. */
    public boolean textEquals(int slot, String value) {
        int length = textLengths[slot];
        if (length < 0 || value == null || value.length() != length) {
            return false;
        }
        char[] chars = texts[slot];
        for (int i = 0; i < length; i++) {
            if (chars[i] != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
