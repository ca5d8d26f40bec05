package io.lxcautoscale.bench.api;

import io.lxcautoscale.bench.status.StatusFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark of the status page (issue 17): a host of {@code containers} containers with {@code hours} of
 * {@code sampleSeconds} samples and a model cycle a minute, written by {@link StatusFixture}; the real API daemon
 * in a child JVM with the service's JVM options. Measures the first read of the history (the first request waits
 * for it), then page loads as the browser makes them — {@code /ui} plus {@code /status/overview} for the table,
 * {@code /ui} plus {@code /status/container?vmid=…} for a container — as p50/p95/max, against a floor measured in
 * the same run ({@code /routes}, a small JSON answer), then the daemon's RSS. Goal: a page load ≤ 1 s.
 *
 * <p>Run: {@code java -cp <bench classpath> io.lxcautoscale.bench.api.StatusBench [containers] [hours] [sampleSeconds] [loads]}.
 */
public final class StatusBench {
    private static final String KEY = "bench-key-0123456789abcdef";
    private static final String SERVER_JVM = "-Xmx256m -XX:+UseSerialGC"; // as systemd/lxc_autoscale_api.service

    private StatusBench() {
    }

    public static void main(String[] args) throws Exception {
        int containers = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        int sampleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int loads = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path dir = Files.createTempDirectory("status-bench");
        try {
            run(dir, containers, hours, sampleSeconds, loads);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int containers, int hours, int sampleSeconds, int loads) throws Exception {
        long t0 = System.nanoTime();
        StatusFixture.Written files = new StatusFixture(containers, hours, sampleSeconds, 60, 120, Instant.parse("2026-08-18T12:00:00Z"))
                .write(dir.resolve("metrics.json"), dir.resolve("journal.json"));
        Path model = Files.writeString(dir.resolve("model.yaml"), StatusFixture.modelYaml());
        System.out.printf("fixture: %d containers, %d h of %d s samples: metrics %d MB (%d samples), journal %d MB (%d entries), written in %.1f s%n",
                containers, hours, sampleSeconds, files.metricsBytes() >> 20, files.samples(), files.journalBytes() >> 20, files.entries(),
                (System.nanoTime() - t0) / 1e9);
        int port = ApiDaemon.freePort();
        Path config = dir.resolve("api.yaml");
        Files.writeString(config, "server: {host: 127.0.0.1, port: " + port + "}\n"
                + "lxc: {pct_path: " + dir.resolve("no-pct") + ", pvesh_path: " + dir.resolve("no-pvesh") + ", config_dir: " + dir + "}\n"
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + "}\n"
                + "audit: {log_file: " + dir.resolve("audit.json") + "}\n"
                + "logging: {level: WARN, access_log: false}\n"
                + "status: {metrics_file: " + files.metrics() + ", suggestions_file: " + files.journal() + ", model_config_file: " + model
                + ", first_read_wait_seconds: 600}\n");
        String jvm = System.getProperty("api.jvm", SERVER_JVM);
        System.out.println("server JVM options: " + jvm);
        try (ApiDaemon server = ApiDaemon.start(dir, config, port, jvm)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.base;
            System.out.println("server RSS before the first read: " + server.rss());
            long first = System.nanoTime();
            String body = get(http, base + "/status/overview");
            System.out.printf("first history read (first /status/overview, which waits for it): %.1f s, answer %d kB, complete=%s%n",
                    (System.nanoTime() - first) / 1e9, body.length() >> 10, body.contains("\"complete\":true"));
            System.out.println("server RSS after the first read: " + server.rss());
            Random random = new Random(7);
            for (int i = 0; i < 10; i++) { // warm-up
                get(http, base + "/routes");
                get(http, base + "/ui");
                get(http, base + "/status/overview");
                get(http, base + "/status/container?vmid=" + (101 + random.nextInt(containers)));
            }
            long[] floor = new long[loads];
            long[] overview = new long[loads];
            long[] container = new long[loads];
            int overviewBytes = 0;
            int containerBytes = 0;
            for (int i = 0; i < loads; i++) {
                long a = System.nanoTime();
                get(http, base + "/routes");
                floor[i] = System.nanoTime() - a;
                a = System.nanoTime();
                get(http, base + "/ui");
                overviewBytes = get(http, base + "/status/overview").length();
                overview[i] = System.nanoTime() - a;
                a = System.nanoTime();
                get(http, base + "/ui");
                containerBytes = get(http, base + "/status/container?vmid=" + (101 + random.nextInt(containers))).length();
                container[i] = System.nanoTime() - a;
            }
            report("floor: GET /routes", floor);
            report("overview page load: /ui + /status/overview (" + (overviewBytes >> 10) + " kB)", overview);
            report("container page load: /ui + /status/container (" + (containerBytes >> 10) + " kB)", container);
            System.out.println("server RSS after the page loads: " + server.rss());
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void report(String label, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d loads; goal <= 1000 ms)%n", label, s[s.length / 2] / 1e6,
                s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] / 1e6, s[s.length - 1] / 1e6, s.length);
    }
}
