package io.lxcautoscale.bench.api;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Open-loop benchmark of lxc_autoscale_api (issue 18, item 3): the real daemon in a child JVM with an instant
 * stand-in {@code pct} ({@link ApiDaemon}) receives {@code /scale/cores} at fixed arrival rates. Each request is sent
 * at its scheduled time whether or not earlier ones were answered, and its latency counts from that scheduled time,
 * so a server that falls behind shows it (no coordinated omission). Per rate it reports the server's own overhead
 * per request from {@code Server-Timing} ({@code app} minus {@code pct}), the client-side latency, the share of a core
 * used by the server JVM, by the {@code pct} stand-ins it ran, and by this load generator. Then
 * the same for the cached {@code /health/check} at the highest rate, as the floor of the pipeline (no input, no
 * {@code pct}) measured in the same run. Then {@code /health/check} throughput with {@code wrk} at 4 and 64 connections (skipped, and said so, without
 * {@code wrk}). Goal: p99 overhead ≤ 5 ms at the highest rate that keeps the server under 50 % of a core.
 *
 * <p>Run: {@code bench/run.sh io.lxcautoscale.bench.api.OpenLoopBench [rates=50,100,200] [seconds per rate=20]
 * [wrk seconds=10]}; server JVM options with {@code -Dapi.jvm="..."} (default: those of the systemd unit).
 */
public final class OpenLoopBench {
    /** The JVM options of {@code systemd/lxc_autoscale_api.service}. */
    private static final String SERVICE_JVM = "-Xmx256m -XX:+UseSerialGC -XX:-UsePerfData";
    /** Enough that one container's calls are seconds apart even at 200/s: the benchmark measures the server, not its per-container lock. */
    private static final int CONTAINERS = 1000;
    private static final int WARM_UP_RATE = 50;
    private static final int WARM_UP_SECONDS = 10;

    /** What one rate step measured. */
    record Step(String route, int rate, int sent, int ok, int failed, long wallNanos, Percentiles latency, Percentiles overhead,
                Percentiles app, Percentiles pct, Map<String, Integer> failures, long maxSendLagNanos, double serverCpu, double pctCpu, double generatorCpu) {
        /** Every call answered, the last within 2 s of the schedule's end: a rate the server (and this machine) sustains. */
        boolean keptUp() {
            return failed == 0 && wallNanos <= (long) sent * 1_000_000_000L / rate + 2_000_000_000L;
        }
    }

    private OpenLoopBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] rates = Arrays.stream((args.length > 0 ? args[0] : "50,100,200").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int wrkSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String jvm = System.getProperty("api.jvm", SERVICE_JVM);
        System.out.printf("nproc=%d, load average %s, server JVM options: %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(), jvm);
        try (ApiDaemon daemon = ApiDaemon.start(CONTAINERS, jvm)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            print(run(daemon, http, WARM_UP_RATE, WARM_UP_SECONDS), "warm-up (not a result)");
            List<Step> steps = new ArrayList<>();
            for (int rate : rates) {
                Step step = run(daemon, http, rate, seconds);
                print(step, "");
                steps.add(step);
            }
            Step floor = floor(daemon, http, rates[rates.length - 1], seconds);
            print(floor, "(floor: the pipeline without input or pct)");
            steps.add(floor);
            System.out.println();
            System.out.println("| route | rate | ok / sent | overhead p50 / p90 / p99 / max (ms) | latency p50 / p90 / p99 / max (ms) | server CPU | pct stand-ins CPU | generator CPU |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (Step s : steps) {
                System.out.printf("| %s | %d/s | %d / %d | %.2f / %.2f / %.2f / %.2f | %.2f / %.2f / %.2f / %.2f | %.0f %% | %.0f %% | %.0f %% |%n",
                        s.route(), s.rate(), s.ok(), s.sent(), ms(s.overhead().at(50)), ms(s.overhead().at(90)), ms(s.overhead().at(99)),
                        ms(s.overhead().max()), ms(s.latency().at(50)), ms(s.latency().at(90)), ms(s.latency().at(99)),
                        ms(s.latency().max()), s.serverCpu(), s.pctCpu(), s.generatorCpu());
            }
            Step best = null;
            for (Step s : steps) {
                if (s.route().equals("/scale/cores") && s.keptUp() && s.serverCpu() < 50 && (best == null || s.rate() > best.rate())) {
                    best = s;
                }
            }
            System.out.println(best == null ? "goal: no rate was kept up with (all answered within 2 s of the schedule's end) with the server under 50 % of a core"
                    : String.format("goal: highest rate kept up with and the server under 50 %% of a core: %d/s, p99 overhead %.2f ms (goal <= 5 ms): %s",
                            best.rate(), ms(best.overhead().at(99)), best.overhead().at(99) <= 5_000_000 ? "met" : "NOT met"));
            wrk(daemon, 4, wrkSeconds);
            wrk(daemon, 64, wrkSeconds);
            System.out.println("server RSS: " + daemon.rss());
        }
    }

    /**
     * Sends {@code rate × seconds} requests on schedule and waits at most 60 s past the schedule for the answers; what is
     * still unanswered then counts as failed, with the time waited as its latency.
     */
    static Step run(ApiDaemon daemon, HttpClient http, int rate, int seconds) throws Exception {
        return run(daemon, http, rate, seconds, "/scale/cores", i -> daemon.scaleCores(ApiDaemon.FIRST_VMID + i % CONTAINERS, 2 + (i / CONTAINERS) % 2));
    }

    /** The pipeline's floor: the cached {@code /health/check} (no input, no pct) on the same schedule. */
    static Step floor(ApiDaemon daemon, HttpClient http, int rate, int seconds) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create(daemon.base + "/health/check")).header("X-API-Key", ApiDaemon.KEY).GET().build();
        return run(daemon, http, rate, seconds, "/health/check", i -> health);
    }

    private static Step run(ApiDaemon daemon, HttpClient http, int rate, int seconds, String route, IntFunction<HttpRequest> requests)
            throws Exception {
        long[] offsets = ArrivalSchedule.offsets(rate, seconds);
        int n = offsets.length;
        long[] latency = new long[n];
        long[] app = new long[n];
        long[] pct = new long[n];
        boolean[] timed = new boolean[n];
        boolean[] done = new boolean[n];
        Map<String, Integer> failures = new ConcurrentSkipListMap<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(n);
        long maxLag = 0;
        long generatorPid = ProcessHandle.current().pid();
        ProcessCpu serverBefore = ProcessCpu.of(daemon.pid());
        ProcessCpu generatorBefore = ProcessCpu.of(generatorPid);
        long start = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            long due = start + offsets[i];
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            int request = i;
            http.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latency[request] = System.nanoTime() - due;
                if (error == null && response.statusCode() == 200) {
                    String timing = response.headers().firstValue("Server-Timing").orElse(null);
                    app[request] = ServerTiming.nanos(timing, "app");
                    pct[request] = ServerTiming.nanos(timing, "pct");
                    timed[request] = app[request] >= 0 && pct[request] >= 0;
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    failures.merge(error == null ? "HTTP " + response.statusCode() : rootCause(error).getClass().getSimpleName(), 1, Integer::sum);
                }
                done[request] = true;
                answered.countDown();
            });
        }
        boolean all = answered.await(60, TimeUnit.SECONDS);
        long wall = System.nanoTime() - start;
        if (!all) {
            // still unanswered 60 s after the last send: failures, with the time waited so far as their latency (a floor)
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!done[i]) {
                    latency[i] = now - (start + offsets[i]);
                    failed.incrementAndGet();
                    failures.merge("unanswered after the 60 s drain", 1, Integer::sum);
                }
            }
        }
        ProcessCpu serverAfter = ProcessCpu.of(daemon.pid());
        ProcessCpu generatorAfter = ProcessCpu.of(generatorPid);
        long[] overhead = new long[n];
        int measured = 0;
        for (int i = 0; i < n; i++) {
            if (timed[i]) {
                overhead[measured] = app[i] - pct[i];
                app[measured] = app[i];
                pct[measured] = pct[i];
                measured++;
            }
        }
        if (measured == 0) {
            throw new IllegalStateException("no answer at " + rate + "/s carried Server-Timing; failures: " + failed.get());
        }
        return new Step(route, rate, n, ok.get(), failed.get(), wall, new Percentiles(latency), new Percentiles(Arrays.copyOf(overhead, measured)),
                new Percentiles(Arrays.copyOf(app, measured)), new Percentiles(Arrays.copyOf(pct, measured)), failures, maxLag,
                ProcessCpu.percentOfCore(serverAfter.ownTicks() - serverBefore.ownTicks(), wall),
                ProcessCpu.percentOfCore(serverAfter.childTicks() - serverBefore.childTicks(), wall),
                ProcessCpu.percentOfCore(generatorAfter.ownTicks() - generatorBefore.ownTicks(), wall));
    }

    private static void print(Step s, String note) {
        System.out.printf("%s at %d/s %s: %d sent, %d ok, %d failed in %.1f s; latest send %.2f ms behind schedule%n",
                s.route(), s.rate(), note, s.sent(), s.ok(), s.failed(), s.wallNanos() / 1e9, s.maxSendLagNanos() / 1e6);
        if (!s.failures().isEmpty()) {
            System.out.println("  failures: " + s.failures());
        }
        System.out.println("  server overhead (app - pct) " + s.overhead().summaryMillis());
        System.out.println("  server time (app)           " + s.app().summaryMillis());
        System.out.println("  pct stand-in                " + s.pct().summaryMillis());
        System.out.println("  latency from scheduled send " + s.latency().summaryMillis());
        System.out.printf("  CPU, share of one core: server JVM %.1f %%, its pct stand-ins %.1f %%, this load generator %.1f %%%n",
                s.serverCpu(), s.pctCpu(), s.generatorCpu());
    }

    /** {@code wrk} against {@code /health/check} (authenticated: anonymous loopback clients are rate limited). */
    private static void wrk(ApiDaemon daemon, int connections, int seconds) throws Exception {
        Path wrk = Path.of("/usr/bin/wrk");
        if (!Files.isExecutable(wrk)) {
            System.out.println("/health/check with wrk: NOT MEASURED, " + wrk + " is missing (Debian package wrk)");
            return;
        }
        List<String> command = List.of(wrk.toString(), "-t2", "-c" + connections, "-d" + seconds + "s", "-H", "X-API-Key: " + ApiDaemon.KEY,
                daemon.base + "/health/check");
        ProcessCpu before = ProcessCpu.of(daemon.pid());
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append("    ").append(line).append('\n');
            }
        }
        int exit = p.waitFor();
        long wall = System.nanoTime() - start;
        ProcessCpu after = ProcessCpu.of(daemon.pid());
        System.out.printf("/health/check, wrk -t2 -c%d -d%ds (exit %d), server JVM %.0f %% of a core:%n%s", connections, seconds, exit,
                ProcessCpu.percentOfCore(after.ownTicks() - before.ownTicks(), wall), out);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
