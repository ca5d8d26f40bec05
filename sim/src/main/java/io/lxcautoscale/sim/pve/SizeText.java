package io.lxcautoscale.sim.pve;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Proxmox disk size text ({@code 8G}, {@code 512M}, {@code 1.5T}, bare number = bytes... as {@code pct resize} reads it). */
public final class SizeText {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?)([KMGT]?)$");

    private SizeText() {
    }

    /** Bytes of a size such as {@code 8G}; a bare number counts as bytes (Proxmox's {@code parse_size}). */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("unable to parse size '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return (long) (value * (1L << shift));
    }

    /** The shortest exact text: {@code 8G}, {@code 8704M}, {@code 4096K} or bytes. */
    public static String format(long bytes) {
        if (bytes % (1L << 40) == 0 && bytes > 0) {
            return (bytes >> 40) + "T";
        }
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        if (bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "K";
        }
        return Long.toString(bytes);
    }
}
