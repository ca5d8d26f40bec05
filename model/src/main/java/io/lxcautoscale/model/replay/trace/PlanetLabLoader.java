package io.lxcautoscale.model.replay.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one PlanetLab (CoMon, as packaged with CloudSim) file: one CPU-percent value per line, 300 s
 * apart, no timestamps. The VM is taken as 2 cores: demand = {@code value / 100 × 2}; no memory.
 * Timestamps are synthesised from midnight UTC of the {@code yyyyMMdd} date at the end of the
 * directory name (e.g. {@code planetlab-20110303}), else from the epoch.
 */
public final class PlanetLabLoader {
    /** PlanetLab samples every 300 s. */
    public static final long STEP_SECONDS = 300;
    /** docs/reference/replay-scoring.md §1 takes every PlanetLab VM as 2 cores. */
    public static final int CORES = 2;

    private static final Pattern DATE = Pattern.compile("(\\d{8})$");

    private PlanetLabLoader() {
    }

    /** Loads one file; returns {@code null} when the trace is skipped (counted in {@code skips}). */
    public static Trace load(Path file, SkipReport skips) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            Path dir = file.toAbsolutePath().getParent();
            return parse(file.getFileName().toString(), startSeconds(dir == null ? "" : dir.getFileName().toString()),
                    reader, skips);
        }
    }

    /** Midnight UTC of the date the directory name ends with, or 0. */
    public static long startSeconds(String directoryName) {
        Matcher m = DATE.matcher(directoryName);
        if (m.find()) {
            try {
                return LocalDate.parse(m.group(1), DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(ZoneOffset.UTC)
                        .toEpochSecond();
            } catch (DateTimeParseException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Parses one file's text; line i is at {@code startSeconds + 300·i}. */
    public static Trace parse(String name, long startSeconds, BufferedReader reader, SkipReport skips) throws IOException {
        TraceBuilder builder = new TraceBuilder(name, STEP_SECONDS, false, skips);
        String line;
        int index = 0;
        while ((line = reader.readLine()) != null) {
            String where = name + ":" + (index + 1);
            long t = startSeconds + STEP_SECONDS * index;
            index++;
            if (line.isBlank()) {
                skips.row("malformed row", where);
                continue;
            }
            double percent;
            try {
                percent = Double.parseDouble(line.trim());
            } catch (NumberFormatException e) {
                skips.row("malformed row", where);
                continue;
            }
            builder.add(where, t, CORES, percent / 100.0 * CORES, Double.NaN, Double.NaN);
        }
        return builder.build();
    }
}
