package io.lxcautoscale.bench.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.common.metrics.Snapshot;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.ModelDaemon;
import io.lxcautoscale.model.ModelMain;
import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.StepHistory;
import io.lxcautoscale.model.history.StepHistoryJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What handing a migrated container's history to another node costs (docs/cluster.md, "History after a migration"):
 * a model daemon (in this JVM) holding 7 days of 1-minute samples of one container (2,016 steps of 5 minutes), the real
 * API daemon in a child JVM in front of it. Timed, sequentially after a warm-up:
 * <ul>
 *   <li>floor: {@code GET /} of the API daemon (an open route that does nothing), the cheapest HTTP round trip there;</li>
 *   <li>{@code GET /history/101} of the model's endpoint directly;</li>
 *   <li>{@code GET /status/history?vmid=101} of the API daemon (authenticated, asks the model, passes it on): what the
 *       new node's model sends;</li>
 *   <li>taking the answer over: reading the JSON and putting its steps in front of a fresh history, next to making
 *       the fresh history alone (the floor of that step).</li>
 * </ul>
 * Args: requests per route (1000).
 */
public final class HistoryRouteBench {
    private static final String KEY = "bench-key-0123456789abcdef";
    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");
    private static final int DAYS = 7;

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("history-route-bench");
        int modelPort = ApiDaemon.freePort();
        Path modelYaml = dir.resolve("lxc_autoscale_ml.yaml");
        Files.writeString(modelYaml, "data_file: " + dir.resolve("lxc_metrics.json") + "\nsuggestions_file: " + dir.resolve("s.json")
                + "\nlock_file: " + dir.resolve("ml.lock") + "\nlog_file: ''\nlogging: {level: WARN}\nmetrics_endpoint: 127.0.0.1:" + modelPort + "\n");
        try (MetricsWriter w = new MetricsWriter(dir.resolve("lxc_metrics.json"), 1L << 32, 2, null)) {
            for (int minute = 0; minute < DAYS * 1440; minute++) {
                ObjectNode s = Json.mapper().createObjectNode();
                s.put("timestamp", MetricTime.format(T0.plusSeconds(60L * minute)));
                s.put("memory_usage_mb", 500 + minute % 300);
                s.putObject("cpu").put("used_cores", 0.5 + (minute % 60) / 100.0);
                s.putObject("allocation").put("cores", 2).put("memory_mb", 2048).put("hostname", "web");
                Map<String, com.fasterxml.jackson.databind.JsonNode> cts = new LinkedHashMap<>();
                cts.put("101", s);
                w.append(new Snapshot(cts, Json.mapper().createObjectNode().put("collected_containers", 1)));
            }
        }
        ModelConfig config = ConfigLoader.load(modelYaml, ModelConfig::bind).config();
        ModelDaemon model = ModelMain.daemon(config, Clock.fixed(T0.plusSeconds(DAYS * 86_400L), ZoneOffset.UTC), true);
        model.readMetrics();
        model.serveMetrics();

        int apiPort = ApiDaemon.freePort();
        Path pct = dir.resolve("pct");
        Files.writeString(pct, "#!/bin/sh\nexit 0\n");
        pct.toFile().setExecutable(true);
        Path apiYaml = dir.resolve("api.yaml");
        Files.writeString(apiYaml, "server: {host: 127.0.0.1, port: " + apiPort + "}\n"
                + "lxc: {pct_path: " + pct + ", pvesh_path: " + pct + ", config_dir: " + dir + ", cgroup_root: " + dir + "}\n"
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + "}\n"
                + "rate_limiting: {enabled: false}\naudit: {enabled: false}\nlogging: {level: WARN, access_log: false}\n"
                + "status: {model_config_file: " + modelYaml + "}\n");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ApiDaemon api = ApiDaemon.start(dir, apiYaml, apiPort, "-Xmx256m")) {
            HttpRequest floor = HttpRequest.newBuilder(URI.create(api.base + "/")).build();
            HttpRequest direct = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + modelPort + "/history/101")).build();
            HttpRequest route = HttpRequest.newBuilder(URI.create(api.base + "/status/history?vmid=101")).header("X-API-Key", KEY).build();
            String body = http.send(route, HttpResponse.BodyHandlers.ofString()).body();
            String steps = http.send(direct, HttpResponse.BodyHandlers.ofString()).body();
            for (HttpRequest r : new HttpRequest[] {floor, direct, route}) {
                time(http, r, requests / 2); // warm-up
            }
            System.out.printf("history: %d days of 1-minute samples = %d steps; model's JSON %d bytes, API's answer %d bytes%n", DAYS,
                    StepHistoryJson.read("101", steps).size(), steps.getBytes(StandardCharsets.UTF_8).length,
                    body.getBytes(StandardCharsets.UTF_8).length);
            System.out.println("floor: GET / (API, open)          " + new Percentiles(time(http, floor, requests)).summaryMillis());
            System.out.println("GET /history/101 (model)          " + new Percentiles(time(http, direct, requests)).summaryMillis());
            System.out.println("GET /status/history (API->model)  " + new Percentiles(time(http, route, requests)).summaryMillis());
            System.out.println("API daemon RSS: " + api.rss());
            takeOver(steps, requests * 10);
        } finally {
            model.close();
        }
        System.out.printf("available processors %d, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long[] time(HttpClient http, HttpRequest request, int n) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
        }
        return nanos;
    }

    /** Reading the steps and putting them in front of a fresh history, next to making the fresh history alone. */
    private static void takeOver(String json, int n) {
        long[] floor = new long[n];
        long[] measured = new long[n];
        long sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                ContainerHistory fresh = fresh();
                floor[i] = System.nanoTime() - t;
                t = System.nanoTime();
                ContainerHistory h = fresh();
                StepHistory steps = StepHistoryJson.read("101", json);
                sink += h.prependSteps(steps);
                measured[i] = System.nanoTime() - t;
                sink += fresh.size();
            }
        }
        Arrays.sort(floor);
        Arrays.sort(measured);
        System.out.printf("take-over, %d times: floor (fresh history) p50 %.1f µs; read JSON + prepend p50 %.1f µs, p99 %.1f µs (%d)%n", n,
                floor[n / 2] / 1e3, measured[n / 2] / 1e3, measured[(int) (n * 0.99)] / 1e3, sink % 7);
    }

    /** A history as the new node has it: the model's default sizes, one sample just after the old node's last step. */
    private static ContainerHistory fresh() {
        ContainerHistory h = new ContainerHistory("101", "web", 2000, 300, 2016);
        double[] row = new double[io.lxcautoscale.model.history.Signal.values().length];
        Arrays.fill(row, Double.NaN);
        row[io.lxcautoscale.model.history.Signal.MEMORY_MB.ordinal()] = 600;
        h.append(T0.getEpochSecond() + DAYS * 86_400L + 60, row);
        return h;
    }
}
