package io.lxcautoscale.common.read;

import java.nio.charset.StandardCharsets;

/**
 * Allocation-free parsers for the line formats of cgroup and proc files ({@code key value} lines,
 * single numbers or {@code max}, PSI lines), working directly on the bytes of {@link SmallFileReader}.
 *
 * <p>Results use sentinels instead of objects: {@link #ABSENT} (the key is not in the file),
 * {@link #GARBAGE} (the text is not a number) and {@link #UNLIMITED} (the word {@code max}).
 */
public final class ByteText {
    public static final long ABSENT = -1;
    public static final long GARBAGE = Long.MIN_VALUE;
    public static final long UNLIMITED = Long.MAX_VALUE;
    /** PSI value that could not be parsed; absent is {@link Double#NaN}. */
    public static final double GARBAGE_DOUBLE = Double.NEGATIVE_INFINITY;

    private ByteText() {
    }

    /** The bytes of an ASCII key, prepared once. */
    public static byte[] key(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    /** A file holding one non-negative integer or {@code max}, with optional surrounding whitespace. */
    public static long wholeNumber(byte[] b, int len) {
        int start = 0;
        while (start < len && isSpace(b[start])) {
            start++;
        }
        int end = len;
        while (end > start && isSpace(b[end - 1])) {
            end--;
        }
        if (end - start == 3 && b[start] == 'm' && b[start + 1] == 'a' && b[start + 2] == 'x') {
            return UNLIMITED;
        }
        return digits(b, start, end);
    }

    /**
     * The value of the line {@code key value} (key at the start of a line, then spaces); {@link #ABSENT}
     * when no line has that key, {@link #GARBAGE} when the value is not a non-negative integer.
     */
    public static long keyed(byte[] b, int len, byte[] key) {
        int line = 0;
        while (line < len) {
            int eol = indexOf(b, line, len, (byte) '\n');
            if (startsWith(b, line, eol, key) && line + key.length < eol && isSpace(b[line + key.length])) {
                int p = line + key.length;
                while (p < eol && isSpace(b[p])) {
                    p++;
                }
                int end = p;
                while (end < eol && !isSpace(b[end])) {
                    end++;
                }
                return digits(b, p, end);
            }
            line = eol + 1;
        }
        return ABSENT;
    }

    /**
     * The {@code avg10=} figure of the PSI line starting with {@code kind} ({@code some} or {@code full}):
     * NaN when there is no such line, {@link #GARBAGE_DOUBLE} when it does not parse.
     */
    public static double psiAvg10(byte[] b, int len, byte[] kind) {
        int p = psiValueStart(b, len, kind, AVG10);
        return p == NO_PSI_LINE ? Double.NaN : p == NO_PSI_FIELD ? GARBAGE_DOUBLE : decimal(b, p, tokenEnd(b, p, len));
    }

    /**
     * The {@code total=} value (cumulative stall µs) of the {@code some} or {@code full} line of a PSI file;
     * {@link #ABSENT} when the line is missing, {@link #GARBAGE} when it has no readable total.
     */
    public static long psiTotal(byte[] b, int len, byte[] kind) {
        int p = psiValueStart(b, len, kind, TOTAL);
        return p == NO_PSI_LINE ? ABSENT : p == NO_PSI_FIELD ? GARBAGE : digits(b, p, tokenEnd(b, p, len));
    }

    private static final byte[] AVG10 = key("avg10=");
    private static final byte[] TOTAL = key("total=");
    private static final int NO_PSI_LINE = -1;
    private static final int NO_PSI_FIELD = -2;

    /** Offset of the value after {@code field} on the PSI line starting with {@code kind}, or NO_PSI_LINE / NO_PSI_FIELD. */
    private static int psiValueStart(byte[] b, int len, byte[] kind, byte[] field) {
        int line = 0;
        while (line < len) {
            int eol = indexOf(b, line, len, (byte) '\n');
            if (startsWith(b, line, eol, kind) && line + kind.length < eol && b[line + kind.length] == ' ') {
                int p = find(b, line, eol, field);
                return p < 0 ? NO_PSI_FIELD : p + field.length;
            }
            line = eol + 1;
        }
        return NO_PSI_LINE;
    }

    /** End of the token starting at {@code p}: the next whitespace (line ends included) or {@code len}. */
    private static int tokenEnd(byte[] b, int p, int len) {
        while (p < len && !isSpace(b[p])) {
            p++;
        }
        return p;
    }

    /** A non-negative integer from {@code b[start, end)}; GARBAGE when empty, not digits or overflowing. */
    public static long digits(byte[] b, int start, int end) {
        if (start >= end || end - start > 19) {
            return GARBAGE;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return GARBAGE;
            }
            v = v * 10 + d;
        }
        return v < 0 ? GARBAGE : v;
    }

    /** A non-negative decimal such as {@code 12.34} from {@code b[start, end)}; GARBAGE_DOUBLE otherwise. */
    public static double decimal(byte[] b, int start, int end) {
        long whole = 0;
        long fraction = 0;
        long scale = 1;
        boolean dot = false;
        int digitCount = 0;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '.' && !dot) {
                dot = true;
            } else if (c >= '0' && c <= '9') {
                if (++digitCount > 15) {
                    return GARBAGE_DOUBLE;
                }
                if (dot) {
                    fraction = fraction * 10 + (c - '0');
                    scale *= 10;
                } else {
                    whole = whole * 10 + (c - '0');
                }
            } else {
                return GARBAGE_DOUBLE;
            }
        }
        return digitCount == 0 ? GARBAGE_DOUBLE : whole + (double) fraction / scale;
    }

    public static int indexOf(byte[] b, int from, int len, byte c) {
        for (int i = from; i < len; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return len;
    }

    public static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code needle} inside {@code b[from, end)}, or -1. */
    public static int find(byte[] b, int from, int end, byte[] needle) {
        for (int i = from; i <= end - needle.length; i++) {
            if (startsWith(b, i, end, needle)) {
                return i;
            }
        }
        return -1;
    }

    public static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
