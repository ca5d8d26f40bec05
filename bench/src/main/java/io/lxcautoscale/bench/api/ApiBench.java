package io.lxcautoscale.bench.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark of lxc_autoscale_api (issue 4): the real daemon in a child JVM with an instant stand-in
 * {@code pct}; 64 concurrent clients on 64 different VMIDs call {@code /scale/cores}; the API's own
 * overhead is the client latency minus the pct time the server reports in {@code Server-Timing}.
 * Then {@code /health/check} throughput, then the server's RSS. Targets: p99 overhead ≤ 5 ms,
 * health ≥ 5,000 req/s, RSS ≤ 256 MB.
 *
 * <p>Run: {@code java -cp <bench classpath> io.lxcautoscale.bench.api.ApiBench [callsPerClient] [healthSeconds]}.
 */
public final class ApiBench {
    private static final String KEY = "bench-key-0123456789abcdef";
    private static final int CLIENTS = 64;
    private static final String SERVER_JVM = "-Xms16m -Xmx96m -XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=64m";

    private ApiBench() {
    }

    public static void main(String[] args) throws Exception {
        int callsPerClient = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int healthSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("api-bench");
        Path confDir = Files.createDirectories(dir.resolve("lxc"));
        for (int i = 0; i < CLIENTS; i++) {
            Files.writeString(confDir.resolve((1000 + i) + ".conf"), "hostname: ct" + (1000 + i) + "\ncores: 1\nmemory: 512\n");
        }
        Path pct = dir.resolve("pct");
        // as instant as a pct stand-in can be: one exec of /bin/sh, no child processes
        Files.writeString(pct, "#!/bin/sh\ncase \"$1\" in list) echo 'VMID       Status     Lock         Name'; esac\nexit 0\n");
        Files.setPosixFilePermissions(pct, PosixFilePermissions.fromString("rwx------"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("api.yaml");
        Files.writeString(config, "server: {host: 127.0.0.1, port: " + port + "}\n"
                + "lxc: {pct_path: " + pct + ", pvesh_path: " + pct + ", config_dir: " + confDir + ", cgroup_root: " + dir + "}\n"
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + "}\n"
                + "audit: {log_file: " + dir.resolve("audit.json") + "}\n"
                + "logging: {level: WARN, access_log: false}\n");
        // the JVM options docs/api.md recommends for the service
        Process server = startServer(config, dir.resolve("server.log"), SERVER_JVM);
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port;
            waitUntilUp(http, base);
            System.out.printf("nproc=%d, server pid %d, %d clients x %d /scale/cores calls%n",
                    Runtime.getRuntime().availableProcessors(), server.pid(), CLIENTS, callsPerClient);

            scaleRound(http, base, CLIENTS, 5, "warm-up");
            scaleRound(http, base, CLIENTS, callsPerClient, "measured, 64 clients");
            // one client: the API's own cost per call without queueing for the CPU behind other requests
            scaleRound(http, base, 1, 200, "measured, 1 client");
            health(http, base, CLIENTS, 2, "warm-up");
            health(http, base, CLIENTS, healthSeconds, "measured, 64 clients");
            health(http, base, 4, healthSeconds, "measured, 4 clients");
            System.out.println("server RSS: " + rss(server.pid()));
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static void scaleRound(HttpClient http, String base, int clients, int calls, String label) throws Exception {
        long[][] total = new long[clients][calls];
        long[][] pct = new long[clients][calls];
        long[][] app = new long[clients][calls];
        AtomicLong failures = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < calls; i++) {
                        // alternate 2 and 3 so every call really runs pct (the config file keeps cores: 1)
                        String body = "{\"vm_id\":" + (1000 + client) + ",\"cores\":" + (2 + i % 2) + "}";
                        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/scale/cores")).header("X-API-Key", KEY)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                        total[client][i] = System.nanoTime() - t0;
                        if (resp.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                        String timing = resp.headers().firstValue("Server-Timing").orElse("pct;dur=0");
                        pct[client][i] = timing(timing, "pct");
                        app[client][i] = timing(timing, "app");
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = flatten(total);
        long[] inPct = flatten(pct);
        long[] overhead = new long[all.length];
        int n = 0;
        for (int c = 0; c < total.length; c++) {
            for (int i = 0; i < total[c].length; i++) {
                overhead[n++] = total[c][i] - pct[c][i];
            }
        }
        System.out.printf("/scale/cores %s: %d calls in %.1f s (%.0f/s), failures %d%n", label, all.length, seconds, all.length / seconds,
                failures.get());
        System.out.printf("  latency        p50 %6.2f ms  p99 %6.2f ms%n", pctl(all, 50), pctl(all, 99));
        System.out.printf("  pct stand-in   p50 %6.2f ms  p99 %6.2f ms%n", pctl(inPct, 50), pctl(inPct, 99));
        long[] inApp = flatten(app);
        long[] serverOnly = new long[all.length];
        int k = 0;
        for (int c = 0; c < app.length; c++) {
            for (int i = 0; i < app[c].length; i++) {
                serverOnly[k++] = app[c][i] - pct[c][i];
            }
        }
        System.out.printf("  server-side    p50 %6.2f ms  p99 %6.2f ms  (time in the server's handler, Server-Timing app)%n",
                pctl(inApp, 50), pctl(inApp, 99));
        System.out.printf("  server minus pct p50 %6.2f ms  p99 %6.2f ms  (the API's own work inside the server)%n",
                pctl(serverOnly, 50), pctl(serverOnly, 99));
        System.out.printf("  API overhead   p50 %6.2f ms  p99 %6.2f ms  (latency minus pct time, per request; target p99 <= 5 ms)%n",
                pctl(overhead, 50), pctl(overhead, 99));
    }

    private static void health(HttpClient http, String base, int clients, int seconds, String label) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/health/check")).header("X-API-Key", KEY).GET().build();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        int status = http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
                        (status == 200 ? ok : bad).incrementAndGet();
                    } catch (Exception e) {
                        bad.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("/health/check %s: %d ok, %d not ok in %.1f s = %.0f req/s (target >= 5,000; client and server share the machine)%n",
                label, ok.get(), bad.get(), s, ok.get() / s);
    }

    /** Starts {@code ApiMain --config config} in a child JVM with {@code -Dapi.jvm} or else {@code defaultJvm}, output to {@code log}. */
    static Process startServer(Path config, Path log, String defaultJvm) throws IOException {
        String jvm = System.getProperty("api.jvm", defaultJvm);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvm.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.lxcautoscale.api.ApiMain", "--config", config.toString()));
        System.out.println("server JVM options: " + jvm);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static String rss(long pid) throws IOException {
        String rss = "?";
        String hwm = "?";
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = line.substring(6).strip();
            }
            if (line.startsWith("VmHWM:")) {
                hwm = line.substring(6).strip();
            }
        }
        return rss + " (peak " + hwm + "; target <= 256 MB)";
    }

    static void waitUntilUp(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(base + "/health/check")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("server did not start");
    }

    /** A {@code name;dur=ms} entry of a Server-Timing header, in nanoseconds. */
    private static long timing(String header, String name) {
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith(name + ";dur=")) {
                return (long) (Double.parseDouble(p.substring(name.length() + 5)) * 1e6);
            }
        }
        return 0;
    }

    private static long[] flatten(long[][] a) {
        return Arrays.stream(a).flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private static double pctl(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(idx, sorted.length - 1))] / 1e6;
    }
}
