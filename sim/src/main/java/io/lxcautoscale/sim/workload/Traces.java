package io.lxcautoscale.sim.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Loads workload traces (the formats are described in {@code traces/README.md}): Bitbrains Rnd CSV (gzip, {@code ;\t}
 * separated) and PlanetLab CPU files (one integer percent per line, 300 s apart).
 */
public final class Traces {
    private static final String BITBRAINS_SEPARATOR = ";\t";

    private Traces() {
    }

    /** Loads a trace file, choosing the format by name: {@code *.csv.gz} / {@code *.csv} = Bitbrains, else PlanetLab. */
    public static List<TraceSample> load(Path file, double planetLabCores) {
        String name = file.getFileName().toString();
        return name.endsWith(".csv.gz") || name.endsWith(".csv") ? bitbrains(file) : planetLab(file, planetLabCores);
    }

    /**
     * Bitbrains rows with the README's cleaning: rows with 0 cores dropped, the last row kept per timestamp, CPU in
     * core-equivalents ({@code usage MHz / (capacity MHz / cores)}), memory clamped to the provisioned memory.
     */
    public static List<TraceSample> bitbrains(Path file) {
        List<TraceSample> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.US_ASCII))) {
            String header = r.readLine();
            if (header == null || !header.startsWith("Timestamp [ms]" + BITBRAINS_SEPARATOR)) {
                throw new IllegalArgumentException(file + ": not a Bitbrains trace (header must start with 'Timestamp [ms];<TAB>')");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(BITBRAINS_SEPARATOR);
                if (f.length != 11) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": expected 11 fields separated by ';<TAB>', found " + f.length);
                }
                double[] v = new double[11];
                try {
                    for (int i = 1; i < 11; i++) {
                        v[i] = Double.parseDouble(f[i].strip());
                    }
                    v[0] = Long.parseLong(f[0].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": not a number: " + e.getMessage());
                }
                double cores = v[1];
                if (cores <= 0 || v[2] <= 0) {
                    continue; // invalid row (README "known bad rows")
                }
                double coreMhz = v[2] / cores;
                double memKb = Math.min(v[6], v[5]);
                TraceSample s = new TraceSample((long) v[0], v[3] / coreMhz, memKb * 1024, v[7], v[8], v[9], v[10]);
                if (!out.isEmpty() && out.get(out.size() - 1).epochSeconds() == s.epochSeconds()) {
                    out.set(out.size() - 1, s); // duplicate timestamp: keep the last row
                } else {
                    out.add(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no valid rows (every row has 0 cores)");
        }
        return out;
    }

    /** PlanetLab: each percent of one CPU becomes {@code percent / 100 × cores} core-equivalents; no memory or I/O. */
    public static List<TraceSample> planetLab(Path file, double cores) {
        List<TraceSample> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                int percent;
                try {
                    percent = Integer.parseInt(line);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected an integer percent, found '" + line + "'");
                }
                out.add(new TraceSample(300L * i, percent / 100.0 * cores, -1, -1, -1, -1, -1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty PlanetLab trace");
        }
        return out;
    }

    private static java.io.InputStream open(Path file) throws IOException {
        java.io.InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
