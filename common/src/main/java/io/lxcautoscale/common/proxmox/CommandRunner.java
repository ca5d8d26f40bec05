package io.lxcautoscale.common.proxmox;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an external command by argv (never through a shell) with the C locale and UTC, a timeout that kills
 * the whole process tree, and both output streams drained concurrently into bounded buffers.
 *
 * <p>The C locale matters: with a missing caller locale Perl (which {@code pct} is written in) prints
 * warnings and localised numbers that broke a sibling autoscaler's parsing. TZ=UTC makes the local times
 * that {@code pct listsnapshot} prints parse as UTC.
 */
public final class CommandRunner {
    /** How long a timed-out command gets to exit after SIGTERM before it is killed. */
    static final Duration TERM_GRACE = Duration.ofSeconds(5);

    /** Default capture limit per stream: 4 MiB (a {@code pvesh} cluster dump of thousands of guests fits). */
    public static final int DEFAULT_MAX_CAPTURE_BYTES = 4 << 20;

    private static final File DEV_NULL = new File("/dev/null");
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    // Daemon threads so a stuck drain never keeps the JVM alive; cached so bursts reuse threads.
    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "command-drain-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final int maxCaptureBytes;

    public CommandRunner() {
        this(DEFAULT_MAX_CAPTURE_BYTES);
    }

    public CommandRunner(int maxCaptureBytes) {
        if (maxCaptureBytes <= 0) {
            throw new IllegalArgumentException("maxCaptureBytes must be positive: " + maxCaptureBytes);
        }
        this.maxCaptureBytes = maxCaptureBytes;
    }

    /**
     * Runs {@code argv} and waits at most {@code timeout}; on timeout kills the process and every descendant.
     *
     * @throws IOException when the program cannot be started (missing, not executable)
     */
    public CommandResult run(List<String> argv, Duration timeout) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(DEV_NULL);
        Map<String, String> env = builder.environment();
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        env.put("TZ", "UTC");
        env.remove("LANGUAGE");
        long start = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), DRAINERS);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), DRAINERS);
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
        if (!finished) {
            killTree(process);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        String stdout = collect(out);
        String stderr = collect(err);
        int exit = finished ? process.exitValue() : -1;
        return new CommandResult(argv, exit, stdout, stderr, duration, !finished);
    }

    /**
     * Stops the process and every descendant: SIGTERM first, so a Proxmox task worker can release its lock
     * and clean up, then SIGKILL for whatever is still alive after a grace period. Descendants are collected
     * while the parent still lives, so orphans are not missed.
     */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long graceEnd = System.nanoTime() + TERM_GRACE.toNanos();
        for (ProcessHandle p : tree) {
            long left = graceEnd - System.nanoTime();
            if (left > 0 && p.isAlive()) {
                try {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // still alive: killed below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] drain(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int room = maxCaptureBytes - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(room, n));
                }
                // beyond the limit keep reading and discarding so the child never blocks on a full pipe
            }
        } catch (IOException closed) {
            // the stream closes when the process is killed; what was read so far is kept
        }
        return kept.toByteArray();
    }

    private static String collect(CompletableFuture<byte[]> future) {
        try {
            // A grandchild that escaped the kill could hold the pipe open; do not wait for it forever.
            return new String(future.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            future.cancel(true);
            return "";
        } catch (ExecutionException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
