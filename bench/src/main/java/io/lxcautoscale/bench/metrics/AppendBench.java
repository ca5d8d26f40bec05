package io.lxcautoscale.bench.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsPosition;
import io.lxcautoscale.common.metrics.MetricsReader;
import io.lxcautoscale.common.metrics.MetricsWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Shows that appending a snapshot to the metrics file costs the same with 1 MB and with 1 GB already
 * in it, and measures how fast {@link MetricsReader} streams a 1 GB file.
 *
 * <p>Usage: {@code AppendBench [appends per file, default 2000] [big file MiB, default 1024]}.
 * Files go to a temporary directory under /tmp that is deleted afterwards.
 */
public final class AppendBench {
    private static final int CONTAINERS = 100;

    private AppendBench() {
    }

    public static void main(String[] args) throws IOException {
        int appends = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long bigMiB = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "append-bench-");
        try {
            run(dir, appends, bigMiB);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int appends, long bigMiB) throws IOException {
        ObjectNode snapshot = snapshot(Instant.parse("2026-08-18T13:07:56.123456Z"));
        byte[] line = (Json.mapper().writeValueAsString(snapshot) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "snapshot: %d containers, %d bytes per line%n", CONTAINERS, line.length);
        System.out.printf(Locale.ROOT, "cpus: %d, max heap: %d MiB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);

        Path small = dir.resolve("small.json");
        Path big = dir.resolve("big.json");
        long t0 = System.nanoTime();
        fill(small, line, 1L << 20);
        fill(big, line, bigMiB << 20);
        System.out.printf(Locale.ROOT, "prepared %s (%.1f MiB) and %s (%.1f MiB) in %.1f s%n", small.getFileName(),
                Files.size(small) / 1048576.0, big.getFileName(), Files.size(big) / 1048576.0,
                (System.nanoTime() - t0) / 1e9);

        // No rotation during the measurement: the limit is above what the run writes.
        long limit = Files.size(big) + (long) (appends + 1000) * line.length * 2;
        long[] smallNanos = new long[appends];
        long[] bigNanos = new long[appends];
        long[] serialiseNanos = new long[appends];
        try (MetricsWriter smallWriter = new MetricsWriter(small, limit, 3, Duration.ofDays(7));
             MetricsWriter bigWriter = new MetricsWriter(big, limit, 3, Duration.ofDays(7))) {
            // Warm-up: JIT, first open, page cache for the files' tails.
            for (int i = 0; i < 300; i++) {
                smallWriter.append(snapshot);
                bigWriter.append(snapshot);
            }
            // Interleaved so that both files see the same machine load.
            for (int i = 0; i < appends; i++) {
                long a = System.nanoTime();
                smallWriter.append(snapshot);
                long b = System.nanoTime();
                bigWriter.append(snapshot);
                long c = System.nanoTime();
                Json.mapper().writeValueAsBytes(snapshot);
                long d = System.nanoTime();
                smallNanos[i] = b - a;
                bigNanos[i] = c - b;
                serialiseNanos[i] = d - c;
            }
        }
        System.out.println("append one snapshot (serialise + one write(), no fsync), " + appends + " appends per file:");
        report("  file with 1 MiB before", smallNanos);
        report("  file with " + bigMiB + " MiB before", bigNanos);
        report("  of which serialising alone (no file)", serialiseNanos);

        readThroughput(big);
    }

    private static void readThroughput(Path file) throws IOException {
        // Baseline: Jackson building the tree of the same line, without any file or line splitting.
        byte[] line;
        try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
            line = in.readLine().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        int parses = 3000;
        long p0 = System.nanoTime();
        for (int i = 0; i < parses; i++) {
            Json.mapper().readTree(line);
        }
        double parseSeconds = (System.nanoTime() - p0) / 1e9;
        System.out.printf(Locale.ROOT, "baseline Json.mapper().readTree of one line in memory: %.0f snapshots/s, %.1f MiB/s%n",
                parses / parseSeconds, (double) parses * line.length / 1048576.0 / parseSeconds);

        long bytes = Files.size(file);
        long[] snapshots = {0};
        long[] containers = {0};
        System.gc();
        long t0 = System.nanoTime();
        long corrupt;
        try (MetricsReader reader = new MetricsReader(file, MetricsPosition.startOf(file))) {
            reader.poll(s -> {
                snapshots[0]++;
                containers[0] += s.containers().size();
            });
            corrupt = reader.corruptLines();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "read %.1f MiB: %d snapshots (%d container samples, %d corrupt) in %.1f s = %.0f snapshots/s, %.1f MiB/s (heap in use after: %d MiB)%n",
                bytes / 1048576.0, snapshots[0], containers[0], corrupt, seconds, snapshots[0] / seconds,
                bytes / 1048576.0 / seconds, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }

    private static void report(String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        System.out.printf(Locale.ROOT, "%s: mean %.1f µs, p50 %.1f µs, p99 %.1f µs, max %.1f µs%n", label,
                mean / 1e3, sorted[sorted.length / 2] / 1e3, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e3,
                sorted[sorted.length - 1] / 1e3);
    }

    /** Fills {@code file} with copies of {@code line} up to about {@code bytes}, in 8 MiB writes. */
    private static void fill(Path file, byte[] line, long bytes) throws IOException {
        int perChunk = Math.max(1, (8 << 20) / line.length);
        ByteBuffer chunk = ByteBuffer.allocateDirect(perChunk * line.length);
        for (int i = 0; i < perChunk; i++) {
            chunk.put(line);
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = 0;
            while (written + line.length <= bytes) {
                int lines = (int) Math.min(perChunk, (bytes - written) / line.length);
                chunk.clear().limit(lines * line.length);
                while (chunk.hasRemaining()) {
                    written += out.write(chunk);
                }
            }
        }
    }

    /** A snapshot shaped like the monitor's: 100 containers with the original's keys plus a few new ones. */
    public static ObjectNode snapshot(Instant at) {
        ObjectNode root = Json.mapper().createObjectNode();
        for (int i = 0; i < CONTAINERS; i++) {
            int vmid = 100 + i;
            ObjectNode s = root.putObject(Integer.toString(vmid));
            s.put("timestamp", MetricTime.format(at.plusMillis(i * 7L)));
            s.put("cpu_usage_percent", 12.345 + i % 50);
            s.put("memory_usage_mb", 1234.56 + i);
            s.put("swap_usage_mb", 0.0);
            s.put("swap_total_mb", 512.0);
            s.put("process_count", 20 + i % 30);
            s.putObject("io_stats").put("reads", 123456L + i).put("writes", 654321L + i);
            s.putObject("network_usage").put("rx_bytes", 95_000_000L + i).put("tx_bytes", 5_700_000L + i);
            s.put("filesystem_usage_gb", 1.59);
            s.put("filesystem_total_gb", 18.53);
            s.put("filesystem_free_gb", 16.94);
            s.put("interval_seconds", 60.002);
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("collection_start_time", MetricTime.format(at));
        summary.put("collection_end_time", MetricTime.format(at.plusMillis(850)));
        summary.put("total_containers", CONTAINERS);
        summary.put("collected_containers", CONTAINERS);
        summary.put("total_duration_seconds", 0.85);
        summary.put("monitor_cpu_percent", 1.2);
        summary.put("monitor_memory_usage_mb", 64.0);
        summary.put("format_version", 2);
        return root;
    }
}
