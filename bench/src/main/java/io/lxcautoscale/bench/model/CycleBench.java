package io.lxcautoscale.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.logging.LoggingSetup;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.common.metrics.Snapshot;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.ModelDaemon;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.journal.SuggestionJournal;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times the model daemon's cycle on 100 containers × 24 h of 10-second samples (864,000 rows), through
 * the real path: a JSON Lines metrics file written with MetricsWriter, the real reader, training, the
 * policy, a local HTTP API and the journal. Run with -Xmx512m:
 *
 * <pre>java -Xmx512m -cp bench/target/... io.lxcautoscale.bench.model.CycleBench [containers] [hours]</pre>
 *
 * Prints: the cold start (file parse of all rows + first cycle with training), a steady cycle that
 * retrains over the full in-memory history, and incremental cycles that read one new line.
 */
public final class CycleBench {
    private CycleBench() {
    }

    public static void main(String[] args) throws Exception {
        LoggingSetup.configure("cycle-bench", LoggingConfig.consoleOnly("WARN"));
        int containers = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        int rows = hours * 360;
        Path dir = Files.createTempDirectory("cycle-bench");
        Path metrics = dir.resolve("lxc_metrics.json");
        Instant t0 = Instant.parse("2026-08-17T00:00:00Z");
        Random random = new Random(1);

        long g0 = System.nanoTime();
        try (MetricsWriter writer = new MetricsWriter(metrics, 1L << 40, 1, null)) {
            for (int i = 0; i < rows; i++) {
                writer.append(snapshot(containers, t0.plusSeconds(10L * i), i, random));
            }
        }
        System.out.printf("%s, %d CPUs, load average %.1f%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("generated %d rows (%d containers x %d h) in %.1f s, file %.0f MB%n", (long) rows * containers, containers,
                hours, (System.nanoTime() - g0) / 1e9, Files.size(metrics) / 1e6);

        HttpServer api = fakeApi(containers);
        try {
            Instant end = t0.plusSeconds(10L * rows);
            MutableClock clock = new MutableClock(end);
            String yaml = "data_file: " + metrics + "\nsuggestions_file: " + dir.resolve("suggestions.json") + "\nlog_file: ''\nlog_level: WARN\n"
                    + "api: {api_url: 'http://127.0.0.1:" + api.getAddress().getPort() + "', api_key: bench}\n"
                    + "history: {raw_rows_per_container: " + Math.max(rows, 100) + "}\nmodel: {retrain_every_cycles: 1000000, retrain_new_rows: 2000000000}\n";
            ModelConfig config = ConfigLoader.parse("bench.yaml", yaml, ModelConfig::bind).config();
            ApiClient client = new ApiClient(config.api().apiUrl(), config.api().coresEndpoint(), config.api().ramEndpoint(),
                    config.api().configsEndpoint(), config.api().nodeEndpoint(), Duration.ofSeconds(5), Duration.ofSeconds(75), "bench", 3, Duration.ZERO, d -> { });
            ModelDaemon daemon = new ModelDaemon(config, client, new SuggestionJournal(config.suggestionsFile(), 1L << 30, 1), clock, true);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long c0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            ModelDaemon.CycleReport first = daemon.runCycle();
            double coldSeconds = (System.nanoTime() - c0) / 1e9;
            System.out.printf("cold start: read %d snapshots (%d rows in memory) + train + decide %d + act: %.2f s wall, %.2f s main-thread CPU (retrained %s)%n",
                    first.snapshotsRead(), first.rowsInMemory(), first.decisions(), coldSeconds,
                    (threads.getCurrentThreadCpuTime() - cpu0) / 1e9, first.retrained());

            // a steady cycle with a forced retrain over the full history in memory
            for (int rep = 0; rep < 3; rep++) {
                appendLine(metrics, containers, t0, rows + rep, random);
                clock.now = clock.now.plusSeconds(10);
                long s0 = System.nanoTime();
                long k0 = threads.getCurrentThreadCpuTime();
                daemon.readMetrics();
                boolean trained = daemon.retrain();
                long s1 = System.nanoTime();
                long k1 = threads.getCurrentThreadCpuTime();
                ModelDaemon.CycleReport r = daemon.runCycle();
                long s2 = System.nanoTime();
                long k2 = threads.getCurrentThreadCpuTime();
                System.out.printf("full cycle (retrain over %d rows + decide %d + act): %.3f s wall, %.3f s main-thread CPU "
                                + "(retrain %.3f s wall / %.3f s CPU, trained %s, %d changes)%n",
                        r.rowsInMemory(), r.decisions(), (s2 - s0) / 1e9, (k2 - k0) / 1e9, (s1 - s0) / 1e9, (k1 - k0) / 1e9, trained, r.changes());
            }
            double worstIncremental = 0;
            double worstIncrementalCpu = 0;
            for (int rep = 0; rep < 10; rep++) {
                appendLine(metrics, containers, t0, rows + 3 + rep, random);
                clock.now = clock.now.plusSeconds(10);
                long i0 = System.nanoTime();
                long k0 = threads.getCurrentThreadCpuTime();
                ModelDaemon.CycleReport r = daemon.runCycle();
                double s = (System.nanoTime() - i0) / 1e9;
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - k0) / 1e9;
                worstIncremental = Math.max(worstIncremental, s);
                worstIncrementalCpu = Math.max(worstIncrementalCpu, cpuSeconds);
                if (rep == 9) {
                    System.out.printf("incremental cycle (1 new line, no retrain, decide %d): last %.3f s wall, worst of 10 %.3f s wall, "
                                    + "worst %.3f s main-thread CPU%n", r.decisions(), s, worstIncremental, worstIncrementalCpu);
                }
            }
            System.gc();
            long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("heap: max %d MB, used after GC %d MB, sum of pool peaks %d MB%n",
                    Runtime.getRuntime().maxMemory() >> 20, used >> 20, peak >> 20);
        } finally {
            api.stop(0);
            ((java.util.concurrent.ExecutorService) api.getExecutor()).shutdownNow();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void appendLine(Path metrics, int containers, Instant t0, int i, Random random) throws Exception {
        try (MetricsWriter writer = new MetricsWriter(metrics, 1L << 40, 1, null)) {
            writer.append(snapshot(containers, t0.plusSeconds(10L * i), i, random));
        }
    }

    /** One line: every container with a daily CPU wave, noise and memory that drifts. */
    private static Snapshot snapshot(int containers, Instant t, int i, Random random) {
        Map<String, JsonNode> cts = new LinkedHashMap<>();
        for (int c = 0; c < containers; c++) {
            int vmid = 100 + c;
            int cores = 1 + c % 4;
            double wave = 0.5 + 0.4 * Math.sin(2 * Math.PI * (i % 8640) / 8640.0 + c);
            double used = Math.max(0, cores * wave * (0.8 + 0.4 * random.nextDouble()));
            ObjectNode s = Json.mapper().createObjectNode();
            s.put("timestamp", MetricTime.format(t.plusMillis(c * 7L)));
            s.put("cpu_usage_percent", Math.round(used / cores * 10000) / 100.0);
            s.put("memory_usage_mb", 400 + c * 10 + 200 * wave + random.nextInt(20));
            s.put("swap_usage_mb", 0.0);
            s.put("process_count", 30 + random.nextInt(5));
            s.put("interval_seconds", 10.0);
            ObjectNode cpu = s.putObject("cpu");
            cpu.put("used_cores", Math.round(used * 1000) / 1000.0);
            cpu.put("nr_periods", 100);
            cpu.put("nr_throttled", wave > 0.85 ? random.nextInt(20) : 0);
            ObjectNode mem = s.putObject("memory");
            mem.putObject("events").put("high", 0).put("max", 0).put("oom", 0).put("oom_kill", 0);
            ObjectNode psi = s.putObject("pressure");
            psi.putObject("cpu").put("some_avg10", Math.round(wave * 500) / 100.0);
            psi.putObject("memory").put("some_avg10", 0.0);
            psi.putObject("io").put("some_avg10", 0.1);
            ObjectNode rates = s.putObject("rates");
            rates.put("net_rx_bytes_per_s", random.nextInt(100_000));
            rates.put("net_tx_bytes_per_s", random.nextInt(50_000));
            rates.put("disk_read_bytes_per_s", random.nextInt(10_000));
            rates.put("disk_write_bytes_per_s", random.nextInt(20_000));
            cts.put(Integer.toString(vmid), s);
        }
        return new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", containers));
    }

    /** A stand-in for the API: every container running, every scale call accepted at once (also used by ParseBench). */
    public static HttpServer fakeApi(int containers) throws Exception {
        StringBuilder list = new StringBuilder("[");
        for (int c = 0; c < containers; c++) {
            list.append(c == 0 ? "" : ",").append("{\"vmid\":").append(100 + c).append(",\"status\":\"running\",\"cores\":")
                    .append(1 + c % 4).append(",\"memory_mb\":2048,\"tags\":[],\"template\":false}");
        }
        list.append("]");
        String configs = "{\"status\":\"success\",\"message\":\"ok\",\"data\":{\"node\":\"bench\",\"containers\":" + list + "}}";
        String node = "{\"status\":\"success\",\"message\":\"ok\",\"data\":{\"cpuinfo\":{\"cpus\":64},\"memory\":{\"total\":549755813888}}}";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            ex.getRequestBody().readAllBytes();
            String body = path.equals("/resource/lxc/configs") ? configs : path.equals("/resource/node/status") ? node
                    : "{\"status\":\"success\",\"message\":\"done\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    /** A clock the benchmark moves by hand, so staleness follows the synthetic timestamps. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
