package io.lxcautoscale.common.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    /** Per list slot: the elements' characters one after the other, where each ends, and how many (-1: absent). */
    private final char[][] listChars;
    private final int[][] listEnds;
    private final int[] listCounts;

    SampleRow(SampleFields fields) {
        numbers = new double[fields.numberSlots()];
        texts = new char[fields.textSlots()][16];
        textLengths = new int[fields.textSlots()];
        textStrings = new String[fields.textSlots()];
        listChars = new char[fields.textListSlots()][64];
        listEnds = new int[fields.textListSlots()][4];
        listCounts = new int[fields.textListSlots()];
    }

    void reset(String vmid) {
        this.vmid = vmid;
        this.epochSecond = 0;
        this.timestampProblem = "no \"timestamp\" string";
        Arrays.fill(numbers, Double.NaN);
        Arrays.fill(textLengths, -1);
        Arrays.fill(textStrings, null);
        Arrays.fill(listCounts, -1);
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

    /** Marks the list in {@code slot} present and empty. */
    void startTexts(int slot) {
        listCounts[slot] = 0;
    }

    /** Appends an element to the list in {@code slot} (after {@link #startTexts}). */
    void addText(int slot, char[] source, int offset, int length) {
        int count = listCounts[slot];
        int start = count == 0 ? 0 : listEnds[slot][count - 1];
        if (listChars[slot].length < start + length) {
            listChars[slot] = Arrays.copyOf(listChars[slot], Math.max(start + length, listChars[slot].length * 2));
        }
        if (listEnds[slot].length == count) {
            listEnds[slot] = Arrays.copyOf(listEnds[slot], count * 2);
        }
        System.arraycopy(source, offset, listChars[slot], start, length);
        listEnds[slot][count] = start + length;
        listCounts[slot] = count + 1;
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

    /** The strings of the list in {@code slot}, null when the field was absent or not an array. */
    public List<String> texts(int slot) {
        int count = listCounts[slot];
        if (count < 0) {
            return null;
        }
        List<String> out = new ArrayList<>(count);
        int start = 0;
        for (int i = 0; i < count; i++) {
            int end = listEnds[slot][i];
            out.add(new String(listChars[slot], start, end - start));
            start = end;
        }
        return out;
    }

    /** Whether the list in {@code slot} is present and holds exactly {@code values}, without building strings. */
    public boolean textsEqual(int slot, List<String> values) {
        int count = listCounts[slot];
        if (count < 0 || values == null || values.size() != count) {
            return false;
        }
        char[] chars = listChars[slot];
        int start = 0;
        for (int i = 0; i < count; i++) {
            int end = listEnds[slot][i];
            String value = values.get(i);
            if (value == null || value.length() != end - start) {
                return false;
            }
            for (int j = 0; j < value.length(); j++) {
                if (chars[start + j] != value.charAt(j)) {
                    return false;
                }
            }
            start = end;
        }
        return true;
    }
}
