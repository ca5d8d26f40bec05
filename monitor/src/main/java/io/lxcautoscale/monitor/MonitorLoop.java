package io.lxcautoscale.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.monitor.collect.Collector;
import io.lxcautoscale.monitor.output.ExportSink;
import io.lxcautoscale.monitor.output.WarnOnce;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's cycle: collect and append a snapshot at a fixed rate on one thread (cycle starts at
 * t0, t0 + interval, t0 + 2·interval, …). A cycle that overruns never overlaps the next: the deadlines it
 * missed are skipped. An unexpected exception in a cycle (a bug or a state the collector does not handle, outside
 * its per-container handling) is logged and that cycle's snapshot is lost; the next cycle runs as planned. With
 * {@code once}, takes a baseline sample, waits one interval, writes one snapshot and returns.
 */
public final class MonitorLoop implements Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorLoop.class);

    private final Supplier<ObjectNode> collector;
    private final ExportSink sink;
    private final long intervalNanos;
    private final boolean once;
    private final LongSupplier nanoTime;
    private final Wait wait;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final WarnOnce warnings = new WarnOnce(LOG);
    /** Cycles that failed with an unexpected exception since the last one that succeeded. */
    private long failedCycles;

    /** How the loop waits for the next cycle start: up to {@code nanos}, returning early (true) once {@code stop} is counted down. */
    interface Wait {
        boolean await(CountDownLatch stop, long nanos) throws InterruptedException;
    }

    public MonitorLoop(Collector collector, ExportSink sink, Duration interval, boolean once) {
        this(collector::collect, sink, interval, once, System::nanoTime, (stop, nanos) -> stop.await(nanos, TimeUnit.NANOSECONDS));
    }

    /** With the time source and the wait given: the monotonic clock in nanoseconds and how to wait on it. */
    MonitorLoop(Supplier<ObjectNode> collector, ExportSink sink, Duration interval, boolean once, LongSupplier nanoTime, Wait wait) {
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
        ObjectNode snapshot = collector.get();
        if (!sink.write(snapshot)) {
            return ExitCodes.FAILURE;
        }
        LOG.info("wrote one snapshot of {} container(s) to {}", snapshot.get("summary").get("collected_containers"), sink.file());
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
            if (wait.await(stopRequested, deadline - nanoTime.getAsLong())) {
                break;
            }
        }
        return ExitCodes.OK;
    }

    /** Collects and writes one snapshot; an unexpected exception is logged (with its stack trace the first time in a row). */
    private void cycle() {
        try {
            ObjectNode snapshot = collector.get();
            sink.write(snapshot);
            if (LOG.isDebugEnabled()) {
                ObjectNode summary = (ObjectNode) snapshot.get("summary");
                LOG.debug("cycle: {} of {} container(s) in {} s", summary.get("collected_containers"),
                        summary.get("total_containers"), summary.get("total_duration_seconds"));
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

    @Override
    public void stop() {
        stopRequested.countDown();
    }
}
