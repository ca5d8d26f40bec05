package io.lxcautoscale.model.replay.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/** The traces of one directory (or metrics file) in one format, plus what was skipped while loading. */
public record TraceSet(TraceFormat format, List<Trace> traces, SkipReport skipped) {
    public TraceSet {
        traces = List.copyOf(traces);
    }

    /**
     * Loads every trace under {@code path}: a directory of Bitbrains or PlanetLab files (sorted by name,
     * loaded in parallel on {@code pool}), or one metrics file (a directory is searched for
     * {@code lxc_metrics.json}).
     */
    public static TraceSet load(Path path, TraceFormat format, int fallbackCores, int fallbackMemoryMb,
                                ExecutorService pool) throws IOException {
        SkipReport skips = new SkipReport();
        if (format == TraceFormat.METRICS) {
            Path file = Files.isDirectory(path) ? path.resolve("lxc_metrics.json") : path;
            if (!Files.isRegularFile(file)) {
                throw new IOException("metrics file not found: " + file);
            }
            return new TraceSet(format, MetricsLoader.load(file, fallbackCores, fallbackMemoryMb, skips), skips);
        }
        if (!Files.isDirectory(path)) {
            throw new IOException("--traces must be a directory of " + format.cliName() + " files: " + path);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> format != TraceFormat.BITBRAINS || BitbrainsLoader.matches(p))
                    .filter(p -> format != TraceFormat.PLANETLAB || !p.getFileName().toString().endsWith(".md"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no " + format.cliName() + " trace files in " + path);
        }
        List<Future<Trace>> futures = new ArrayList<>();
        for (Path f : files) {
            futures.add(pool.submit(() -> format == TraceFormat.BITBRAINS
                    ? BitbrainsLoader.load(f, skips) : PlanetLabLoader.load(f, skips)));
        }
        List<Trace> traces = new ArrayList<>();
        for (Future<Trace> f : futures) {
            try {
                Trace t = f.get();
                if (t != null) {
                    traces.add(t);
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while loading traces", e);
            }
        }
        return new TraceSet(format, traces, skips);
    }
}
