package io.lxcautoscale.monitor;

import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.ExportSink;
import io.lxcautoscale.monitor.output.SnapshotLine;
import io.lxcautoscale.monitor.output.WarnOnce;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's cycle: collect and append a snapshot at a fixed rate on one thread (cycle starts at
 * t0, t0 + interval, t0 + 2·interval, …). A cycle that overruns never overlaps the next: the deadlines it
 * missed are skipped. An unexpected exception in a cycle (a bug or a state the collector does not handle, outside
 * its per-container handling) is logged and that cycle's snapshot is lost; the next cycle runs as planned. With
 * {@code once}, takes a baseline sample, waits one interval, writes one snapshot and returns. A {@link #change} (a
 * reloaded configuration) wakes the wait and is applied there, between cycles.
 */
public final class MonitorLoop implements Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorLoop.class);

    private final ExportSink sink;
    private final boolean once;
    private final LongSupplier nanoTime;
    private final Wait wait;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final WarnOnce warnings = new WarnOnce(LOG);
    /** Cycles that failed with an unexpected exception since the last one that succeeded. */
    private long failedCycles;
    private final AtomicReference<Change> pending = new AtomicReference<>();
    /** Counted down by {@link #stop()} and {@link #change}; replaced after each early wake-up. */
    private volatile CountDownLatch wake = new CountDownLatch(1);
    // changed only on the loop's thread
    private Supplier<SnapshotLine> collector;
    /** What the collector keeps open, released when a reload replaces it. */
    private AutoCloseable openFiles = () -> { };
    private long intervalNanos;

    /** How the loop waits for the next cycle start: up to {@code nanos}, returning early (true) once {@code wake} is counted down. */
    interface Wait {
        boolean await(CountDownLatch wake, long nanos) throws InterruptedException;
    }

    /**
     * New settings for the next cycles: a collector built from new settings, a new interval; null = unchanged.
     *
     * @param collector takes the samples from the next cycle on
     * @param interval  time between cycle starts from now on
     */
    public record Change(Collector collector, Duration interval) {
        Change after(Change earlier) {
            return earlier == null ? this : new Change(collector != null ? collector : earlier.collector,
                    interval != null ? interval : earlier.interval);
        }
    }

    public MonitorLoop(Collector collector, ExportSink sink, Duration interval, boolean once) {
        this(collector::collectLine, sink, interval, once, System::nanoTime, (stop, nanos) -> stop.await(nanos, TimeUnit.NANOSECONDS));
        this.openFiles = collector;
    }

    /** With the time source and the wait given: the monotonic clock in nanoseconds and how to wait on it. */
    MonitorLoop(Supplier<SnapshotLine> collector, ExportSink sink, Duration interval, boolean once, LongSupplier nanoTime, Wait wait) {
        this.collector = collector;
        this.sink = sink;
        this.intervalNanos = interval.toNanos();
        this.once = once;
        this.nanoTime = nanoTime;
        this.wait = wait;
    }

    @Override
    public int run() throws Exception {
        try (ExportSink ignored = sink) {
            return once ? runOnce() : runForever();
        }
    }

    private int runOnce() throws InterruptedException {
        collector.get();
        if (wait.await(stopRequested, intervalNanos)) {
            LOG.info("stopped before the snapshot was taken; nothing written");
            return ExitCodes.OK;
        }
        SnapshotLine snapshot = collector.get();
        if (!sink.write(snapshot)) {
            return ExitCodes.FAILURE;
        }
        LOG.info("wrote one snapshot of {} container(s) to {}", snapshot.collectedContainers(), sink.file());
        return ExitCodes.OK;
    }

    private int runForever() throws InterruptedException {
        LOG.info("sampling every {} s into {}", intervalNanos / 1e9, sink.file());
        long deadline = nanoTime.getAsLong();
        while (stopRequested.getCount() > 0) {
            cycle();
            deadline += intervalNanos;
            long now = nanoTime.getAsLong();
            if (now - deadline >= 0) {
                long missed = (now - deadline) / intervalNanos + 1;
                deadline += missed * intervalNanos;
                warnings.warn("slow", "a cycle took longer than the interval (" + intervalNanos / 1e9
                        + " s); skipped " + missed + " cycle start(s) rather than overlapping (logged once)");
            } else {
                warnings.resolved("slow", "cycles fit in the interval again");
            }
            long cycleStart = deadline - intervalNanos;
            while (wait.await(wake, deadline - nanoTime.getAsLong())) {
                if (stopRequested.getCount() == 0) {
                    return ExitCodes.OK;
                }
                wake = new CountDownLatch(1);
                Change change = pending.getAndSet(null);
                if (change != null) {
                    apply(change);
                    // the next start is one new interval after the last scheduled start, or now when that has passed
                    long wokeAt = nanoTime.getAsLong();
                    deadline = cycleStart + intervalNanos - wokeAt < 0 ? wokeAt : cycleStart + intervalNanos;
                }
            }
        }
        return ExitCodes.OK;
    }

    /** Collects and writes one snapshot; an unexpected exception is logged (with its stack trace the first time in a row). */
    private void cycle() {
        try {
            SnapshotLine snapshot = collector.get();
            sink.write(snapshot);
            if (LOG.isDebugEnabled()) {
                LOG.debug("cycle: {} of {} container(s) in {} s", snapshot.collectedContainers(),
                        snapshot.totalContainers(), snapshot.durationSeconds());
            }
            if (failedCycles > 0) {
                LOG.info("a cycle succeeded again after {} failed cycle(s)", failedCycles);
                failedCycles = 0;
            }
        } catch (RuntimeException e) {
            failedCycles++;
            if (failedCycles == 1) {
                LOG.error("cycle failed, its snapshot is lost; the next cycle runs as planned", e);
            } else {
                LOG.error("cycle failed again ({} in a row): {}", failedCycles, e.toString());
            }
        }
    }

    private void apply(Change change) {
        if (change.collector() != null) {
            try {
                openFiles.close();
            } catch (Exception e) {
                LOG.warn("closing the files of the previous collector: {}", e.toString());
            }
            collector = change.collector()::collectLine;
            openFiles = change.collector();
            LOG.info("collector settings changed: the next snapshot has no rates for the containers (a fresh baseline), as after a start");
        }
        if (change.interval() != null && change.interval().toNanos() != intervalNanos) {
            LOG.info("interval changed from {} s to {} s", intervalNanos / 1e9, change.interval().toNanos() / 1e9);
            intervalNanos = change.interval().toNanos();
        }
    }

    /** Hands new settings to the loop; applied on the loop's thread before the next cycle. Safe from any thread. */
    public void change(Change change) {
        pending.accumulateAndGet(change, (earlier, latest) -> latest.after(earlier));
        wake.countDown();
    }

    @Override
    public void stop() {
        stopRequested.countDown();
        wake.countDown();
    }
}
