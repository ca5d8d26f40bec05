package io.lxcautoscale.bench.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private static final int CLIENTS = 64;
    private static final String SERVER_JVM = "-Xms16m -Xmx96m -XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=64m";

    private ApiBench() {
    }

    public static void main(String[] args) throws Exception {
        int callsPerClient = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int healthSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        // the JVM options docs/api.md recommends for the service
        String jvm = System.getProperty("api.jvm", SERVER_JVM);
        System.out.println("server JVM options: " + jvm);
        try (ApiDaemon server = ApiDaemon.start(CLIENTS, jvm)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = server.base;
            System.out.printf("nproc=%d, server pid %d, %d clients x %d /scale/cores calls%n",
                    Runtime.getRuntime().availableProcessors(), server.pid(), CLIENTS, callsPerClient);

            scaleRound(server, http, CLIENTS, 5, "warm-up");
            scaleRound(server, http, CLIENTS, callsPerClient, "measured, 64 clients");
            // one client: the API's own cost per call without queueing for the CPU behind other requests
            scaleRound(server, http, 1, 200, "measured, 1 client");
            health(http, base, CLIENTS, 2, "warm-up");
            health(http, base, CLIENTS, healthSeconds, "measured, 64 clients");
            health(http, base, 4, healthSeconds, "measured, 4 clients");
            System.out.println("server RSS: " + server.rss() + "; target <= 256 MB");
        }
    }

    private static void scaleRound(ApiDaemon server, HttpClient http, int clients, int calls, String label) throws Exception {
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
                        HttpRequest r = server.scaleCores(ApiDaemon.FIRST_VMID + client, 2 + i % 2);
                        long t0 = System.nanoTime();
                        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                        total[client][i] = System.nanoTime() - t0;
                        if (resp.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                        String timing = resp.headers().firstValue("Server-Timing").orElse("pct;dur=0");
                        pct[client][i] = Math.max(0, ServerTiming.nanos(timing, "pct"));
                        app[client][i] = Math.max(0, ServerTiming.nanos(timing, "app"));
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
        System.out.printf("  latency        p50 %6.2f ms  p99 %6.2f ms%n", pctlMs(all, 50), pctlMs(all, 99));
        System.out.printf("  pct stand-in   p50 %6.2f ms  p99 %6.2f ms%n", pctlMs(inPct, 50), pctlMs(inPct, 99));
        long[] inApp = flatten(app);
        long[] serverOnly = new long[all.length];
        int k = 0;
        for (int c = 0; c < app.length; c++) {
            for (int i = 0; i < app[c].length; i++) {
                serverOnly[k++] = app[c][i] - pct[c][i];
            }
        }
        System.out.printf("  server-side    p50 %6.2f ms  p99 %6.2f ms  (time in the server's handler, Server-Timing app)%n",
                pctlMs(inApp, 50), pctlMs(inApp, 99));
        System.out.printf("  server minus pct p50 %6.2f ms  p99 %6.2f ms  (the API's own work inside the server)%n",
                pctlMs(serverOnly, 50), pctlMs(serverOnly, 99));
        System.out.printf("  API overhead   p50 %6.2f ms  p99 %6.2f ms  (latency minus pct time, per request; target p99 <= 5 ms)%n",
                pctlMs(overhead, 50), pctlMs(overhead, 99));
    }

    private static void health(HttpClient http, String base, int clients, int seconds, String label) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/health/check")).header("X-API-Key", ApiDaemon.KEY).GET().build();
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




    private static long[] flatten(long[][] a) {
        return Arrays.stream(a).flatMapToLong(Arrays::stream).sorted().toArray();
    }

    private static double pctlMs(long[] values, int p) {
        return new Percentiles(values).at(p) / 1e6;
    }
}
