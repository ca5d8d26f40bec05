package io.lxcautoscale.bench.metrics;

import com.sun.net.httpserver.HttpServer;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.logging.LoggingSetup;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsPosition;
import io.lxcautoscale.common.metrics.MetricsReader;
import io.lxcautoscale.bench.model.CycleBench;
import io.lxcautoscale.model.history.HistoryStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The streaming metrics reader against a floor, on a file like issue 18's (100 containers × 8,640
 * snapshots, about 300 MB), in JSON Lines (the monitor's shape) and as the original's single array
 * (its keys, naive local timestamps, Python's separators); then the model's {@code --once} first
 * cycle on each file in a fresh JVM under {@code -Xmx512m} (JVM start included), against a local
 * stand-in API. Files are generated under the directory given (default {@code bench/target/parse-bench}).
 *
 * <pre>java -Xmx512m -cp &lt;bench classpath&gt; io.lxcautoscale.bench.metrics.ParseBench [dir] [containers] [snapshots]</pre>
 *
 * Prints: the floor (read the bytes into a buffer and count newlines), the reader into the model's
 * rows ({@link HistoryStore}) in MB/s wall and CPU, cold (first pass in this JVM) and warm, for both
 * files, and for each file the child's wall, user+system CPU and max RSS from {@code /usr/bin/time}.
 */
public final class ParseBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        LoggingSetup.configure("parse-bench", LoggingConfig.consoleOnly("WARN"));
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/target/parse-bench").toAbsolutePath();
        int containers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int snapshots = args.length > 2 ? Integer.parseInt(args[2]) : 8640;
        Files.createDirectories(dir);
        Path lines = dir.resolve("lxc_metrics.jsonl");
        Path array = dir.resolve("lxc_metrics_original.json");
        Instant end = Instant.now();
        long g0 = System.nanoTime();
        generate(lines, array, containers, snapshots, end);
        System.out.printf("%s, nproc %d, load average %s, memory %s%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), memory());
        System.out.printf("generated %d containers x %d snapshots in %.1f s: JSON Lines %.1f MB, original's array %.1f MB%n",
                containers, snapshots, (System.nanoTime() - g0) / 1e9, Files.size(lines) / 1e6, Files.size(array) / 1e6);

        for (int pass = 1; pass <= 2; pass++) {
            String label = pass == 1 ? "cold" : "warm";
            report("floor: read + count newlines (" + label + ")", Files.size(lines), () -> floor(lines));
            report("reader, JSON Lines -> model rows (" + label + ")", Files.size(lines), () -> intoRows(lines, snapshots));
            report("reader, original's array -> model rows (" + label + ")", Files.size(array), () -> intoRows(array, snapshots));
        }

        HttpServer api = CycleBench.fakeApi(containers);
        try {
            once("model --once, JSON Lines", lines, dir, api, "");
            once("model --once, original's array", array, dir, api, "");
            // the same with the JIT stopped at C1 and the serial collector (the monitor's unit flags)
            once("model --once, JSON Lines, C1 + SerialGC", lines, dir, api, "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        } finally {
            api.stop(0);
            ((java.util.concurrent.ExecutorService) api.getExecutor()).shutdownNow();
        }
    }

    private interface Run {
        long run() throws IOException;
    }

    private static void report(String what, long bytes, Run run) throws IOException {
        long w0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        long result = run.run();
        double wall = (System.nanoTime() - w0) / 1e9;
        double cpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf("%-52s %7.3f s wall %7.1f MB/s | %7.3f s CPU %7.1f MB/s | result %d%n", what, wall, bytes / 1e6 / wall,
                cpu, bytes / 1e6 / cpu, result);
    }

    /** The floor: every byte read into a reused buffer and looked at once. */
    private static long floor(Path file) throws IOException {
        long newlines = 0;
        ByteBuffer buffer = ByteBuffer.allocate(512 << 10);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            int n;
            while ((n = channel.read(buffer.clear(), position)) > 0) {
                byte[] a = buffer.array();
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        newlines++;
                    }
                }
                position += n;
            }
        }
        return newlines;
    }

    /** The daemon's read: every sample into the model's histories; returns the rows held. */
    private static long intoRows(Path file, int snapshots) throws IOException {
        HistoryStore store = new HistoryStore(snapshots, 300, 2016);
        try (MetricsReader reader = new MetricsReader(file, MetricsPosition.startOf(file))) {
            reader.poll(store.decoder(() -> { }));
            if (reader.corruptLines() != 0) {
                throw new IllegalStateException(reader.corruptLines() + " corrupt lines in " + file);
            }
        }
        return store.totalRows();
    }

    /** {@code lxc_autoscale_ml --once} in a fresh JVM, timed by /usr/bin/time. */
    private static void once(String what, Path metrics, Path dir, HttpServer api, String jvmFlags) throws Exception {
        Path config = dir.resolve("once.yaml");
        Path journal = dir.resolve("suggestions.json");
        Files.deleteIfExists(journal);
        Files.writeString(config, "data_file: " + metrics + "\nsuggestions_file: " + journal + "\nlog_file: ''\nlog_level: INFO\n"
                + "api: {api_url: 'http://127.0.0.1:" + api.getAddress().getPort() + "', api_key: bench}\n");
        Path log = dir.resolve("once.log");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %U %S %M",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        String extra = jvmFlags + " " + System.getProperty("bench.childJvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.lxcautoscale.model.ModelMain", "--once",
                "--config", config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = p.waitFor();
        String timeLine = "";
        String trained = "";
        String cycle = "";
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("TIME ")) {
                timeLine = line;
            } else if (line.contains("anomaly model trained")) {
                trained = line.substring(line.indexOf("anomaly model trained"));
            } else if (line.contains("cycle: ")) {
                cycle = line.substring(line.indexOf("cycle: "));
            }
        }
        String[] t = timeLine.split(" ");
        if (t.length < 5) {
            System.out.printf("%s: exit %d, no timing (see %s)%n", what, exit, log);
            return;
        }
        System.out.printf("%-52s %7s s wall (JVM start included) | %.2f s CPU (user %s + sys %s) | max RSS %d MB | exit %d%n",
                what, t[1], Double.parseDouble(t[2]) + Double.parseDouble(t[3]), t[2], t[3], Long.parseLong(t[4]) / 1024, exit);
        System.out.printf("    %s%n    %s%n", trained, cycle);
    }

    // ---- the files ------------------------------------------------------------------------------

    /**
     * The same samples twice: JSON Lines in the monitor's shape (UTC timestamps, rates) and the
     * original's array (its keys, cumulative counters, naive local timestamps, ", " and ": ").
     */
    private static void generate(Path lines, Path array, int containers, int snapshots, Instant end) throws IOException {
        Random random = new Random(1);
        DateTimeFormatter naive = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
        ZoneId zone = ZoneId.systemDefault();
        long[] rx = new long[containers];
        long[] reads = new long[containers];
        try (BufferedWriter jl = Files.newBufferedWriter(lines, StandardCharsets.UTF_8);
             BufferedWriter ar = Files.newBufferedWriter(array, StandardCharsets.UTF_8)) {
            ar.write('[');
            StringBuilder a = new StringBuilder(64 << 10);
            StringBuilder b = new StringBuilder(64 << 10);
            for (int i = 0; i < snapshots; i++) {
                Instant t = end.minusSeconds(10L * (snapshots - i));
                a.setLength(0);
                b.setLength(0);
                a.append('{');
                b.append(i == 0 ? "{" : ", {");
                for (int c = 0; c < containers; c++) {
                    Instant at = t.plusMillis(c * 7L);
                    int cores = 1 + c % 4;
                    double wave = 0.5 + 0.4 * Math.sin(2 * Math.PI * (i % 8640) / 8640.0 + c);
                    double used = Math.max(0, cores * wave * (0.8 + 0.4 * random.nextDouble()));
                    int percent = (int) Math.round(used / cores * 10000);
                    int memory = (int) (4000 + c * 100 + 2000 * wave) + random.nextInt(200);
                    int processes = 30 + random.nextInt(5);
                    int rxRate = random.nextInt(100_000);
                    int readRate = random.nextInt(10_000);
                    rx[c] += rxRate * 10L;
                    reads[c] += readRate * 10L / 512;
                    a.append(c == 0 ? "\"" : ",\"").append(100 + c).append("\":{\"timestamp\":\"").append(MetricTime.format(at))
                            .append("\",\"cpu_usage_percent\":").append(percent / 100).append('.').append(percent % 100)
                            .append(",\"memory_usage_mb\":").append(memory / 10).append('.').append(memory % 10)
                            .append(",\"process_count\":").append(processes)
                            .append(",\"cpu\":{\"used_cores\":").append(Math.round(used * 1000) / 1000.0)
                            .append("},\"memory\":{\"used_mb\":").append(memory / 10).append('.').append(memory % 10)
                            .append(",\"events\":{\"oom_kill\":0}},\"rates\":{\"net_rx_bytes_per_s\":").append(rxRate)
                            .append(",\"net_tx_bytes_per_s\":").append(rxRate / 3).append(",\"disk_read_bytes_per_s\":").append(readRate)
                            .append(",\"disk_write_bytes_per_s\":").append(readRate * 2).append("},\"allocation\":{\"hostname\":\"ct")
                            .append(100 + c).append("\"}}");
                    b.append(c == 0 ? "\"" : ", \"").append(100 + c).append("\": {\"timestamp\": \"")
                            .append(naive.format(LocalDateTime.ofInstant(at, zone)))
                            .append("\", \"cpu_usage_percent\": ").append(percent / 100).append('.').append(percent % 100)
                            .append(", \"memory_usage_mb\": ").append(memory / 10).append('.').append(memory % 10)
                            .append(", \"swap_usage_mb\": 0.0, \"swap_total_mb\": 512.0, \"process_count\": ").append(processes)
                            .append(", \"io_stats\": {\"reads\": ").append(reads[c]).append(", \"writes\": ").append(reads[c] * 2)
                            .append("}, \"network_usage\": {\"rx_bytes\": ").append(rx[c]).append(", \"tx_bytes\": ").append(rx[c] / 3)
                            .append("}, \"filesystem_usage_gb\": 2.31, \"filesystem_total_gb\": 8.0, \"filesystem_free_gb\": 5.69}");
                }
                a.append(",\"summary\":{\"collected_containers\":").append(containers).append(",\"collection_start_time\":\"")
                        .append(MetricTime.format(t)).append("\"}}\n");
                b.append(", \"summary\": {\"total_containers\": ").append(containers).append("}}");
                jl.append(a);
                ar.append(b);
            }
            ar.write(']');
        }
    }

    private static String memory() throws IOException {
        long total = 0;
        long available = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                total = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("MemAvailable:")) {
                available = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return String.format("%.1f GiB total, %.1f GiB available", total / 1048576.0, available / 1048576.0);
    }
}
