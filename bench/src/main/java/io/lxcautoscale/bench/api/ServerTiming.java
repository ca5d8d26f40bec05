package io.lxcautoscale.bench.api;

/** Reads the API's {@code Server-Timing: pct;dur=<ms>, app;dur=<ms>} header. */
final class ServerTiming {
    private ServerTiming() {
    }

    /** The duration of entry {@code name} in nanoseconds, or -1 when the header lacks it. */
    static long nanos(String header, String name) {
        if (header == null) {
            return -1;
        }
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith(name + ";dur=")) {
                return Math.round(Double.parseDouble(p.substring(name.length() + 5)) * 1e6);
            }
        }
        return -1;
    }
}
