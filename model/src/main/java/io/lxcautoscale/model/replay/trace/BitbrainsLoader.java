package io.lxcautoscale.model.replay.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one GWA-T-12 Bitbrains VM file ({@code vm<N>.csv.gz} or plain {@code .csv}): semicolon-separated
 * (with a TAB after each semicolon), one header line. CPU demand in cores is
 * {@code CPU usage [MHZ] / (CPU capacity provisioned [MHZ] / CPU cores)}, memory demand in MiB is
 * {@code Memory usage [KB] / 1024}; the provisioned size is that of the first valid row.
 */
public final class BitbrainsLoader {
    /** Bitbrains samples every 300 s. */
    public static final long STEP_SECONDS = 300;

    private static final int TIMESTAMP = 0;
    private static final int CORES = 1;
    private static final int CAPACITY_MHZ = 2;
    private static final int USAGE_MHZ = 3;
    private static final int MEMORY_CAPACITY_KB = 5;
    private static final int MEMORY_USAGE_KB = 6;
    private static final int MIN_FIELDS = 7;

    private BitbrainsLoader() {
    }

    /** Whether a file name looks like a Bitbrains VM file. */
    public static boolean matches(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".csv.gz") || n.endsWith(".csv");
    }

    /** Loads one file; returns {@code null} when the trace is skipped (counted in {@code skips}). */
    public static Trace load(Path file, SkipReport skips) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.csv(\\.gz)?$", "");
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return parse(name, file.getFileName().toString(), new BufferedReader(
                    new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16), skips);
        }
    }

    /** Parses the text of one file (header first); {@code fileName} is used in skip messages. */
    public static Trace parse(String name, String fileName, BufferedReader reader, SkipReport skips) throws IOException {
        TraceBuilder builder = new TraceBuilder(name, STEP_SECONDS, true, skips);
        String line = reader.readLine();
        if (line == null) {
            skips.trace("empty file", fileName);
            return null;
        }
        if (!line.startsWith("Timestamp")) {
            throw new IOException(fileName + ": line 1 is not the Bitbrains header (expected 'Timestamp [ms];...'),"
                    + " got '" + abbreviate(line) + "'");
        }
        int lineNo = 1;
        double[] fields = new double[MIN_FIELDS];
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String where = fileName + ":" + lineNo;
            if (!split(line, fields)) {
                skips.row("malformed row", where);
                continue;
            }
            double cores = fields[CORES];
            double cpuDemand = fields[USAGE_MHZ] / (fields[CAPACITY_MHZ] / cores);
            builder.add(where, (long) fields[TIMESTAMP], cores, cpuDemand,
                    fields[MEMORY_CAPACITY_KB] / 1024.0, fields[MEMORY_USAGE_KB] / 1024.0);
        }
        return builder.build();
    }

    /** Splits on ';' and parses the first {@link #MIN_FIELDS} fields; false when a field is missing or not a number. */
    private static boolean split(String line, double[] out) {
        int start = 0;
        for (int i = 0; i < MIN_FIELDS; i++) {
            int end = line.indexOf(';', start);
            if (end < 0) {
                if (i < MIN_FIELDS - 1) {
                    return false;
                }
                end = line.length();
            }
            try {
                out[i] = Double.parseDouble(line.substring(start, end).trim());
            } catch (NumberFormatException e) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
