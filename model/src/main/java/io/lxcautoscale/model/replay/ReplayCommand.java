package io.lxcautoscale.model.replay;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.model.replay.adapter.ModelPolicyFactory;
import io.lxcautoscale.model.replay.report.ReplayReport;
import io.lxcautoscale.model.replay.report.SvgChart;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.PolicyResult;
import io.lxcautoscale.model.replay.sim.ReplayRunner;
import io.lxcautoscale.model.replay.trace.Trace;
import io.lxcautoscale.model.replay.trace.TraceFormat;
import io.lxcautoscale.model.replay.trace.TraceSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code replay}: runs scaling policies over recorded demand traces and scores them
 * ({@code docs/reference/replay-scoring.md}); see {@code docs/replay.md}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay CPU/memory demand traces through scaling policies and score slack, shortage and OOMs.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--traces", required = true, paramLabel = "DIR",
            description = "Directory of trace files (bitbrains, planetlab), or the lxc_metrics.json file (metrics).")
    Path traces;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "bitbrains | planetlab | metrics")
    String format;

    @Option(names = "--policy", arity = "1..*", paramLabel = "NAME",
            description = "Policies to replay (default: static original vpa autopilot default); also default-no-anomaly,"
                    + " default-no-daily default-no-recommender.")
    List<String> policies;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the scores as JSON.")
    Path json;

    @Option(names = "--chart", paramLabel = "FILE", description = "Write the slack/shortage chart as SVG.")
    Path chart;

    @Option(names = "--sweep", description = "Also replay the default policy at several memory-risk knob values.")
    boolean sweep;

    @Option(names = "--sweep-base", defaultValue = "default", paramLabel = "NAME",
            description = "Policy whose margin --sweep varies: default, default-no-anomaly or default-no-daily.")
    String sweepBase;

    @Option(names = "--model-config", paramLabel = "FILE",
            description = "The model daemon's lxc_autoscale_ml.yaml for the default policy (default: built-in defaults).")
    Path modelConfig;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Worker threads (default 2).")
    int threads;

    @Option(names = "--cores", defaultValue = "0", paramLabel = "N",
            description = "metrics: provisioned cores when the file records no allocation.")
    int cores;

    @Option(names = "--memory-mb", defaultValue = "0", paramLabel = "MB",
            description = "metrics: provisioned memory when the file records no allocation.")
    int memoryMb;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Runs the command as a program: {@code java -cp <jar> io.lxcautoscale.model.replay.ReplayCommand ...}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplayCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        TraceFormat fmt;
        try {
            fmt = TraceFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("replay: --format must be bitbrains, planetlab or metrics, got '" + format + "'");
            return 2;
        }
        if (threads < 1 || threads > 64) {
            err.println("replay: --threads must be 1..64, got " + threads);
            return 2;
        }
        List<PolicyFactory> factories;
        try {
            factories = new PolicyCatalog(ModelPolicyFactory.loadConfig(modelConfig)).resolve(policies, sweep, sweepBase);
        } catch (ConfigException e) {
            err.println("replay: --model-config: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return 2;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "replay-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            long start = System.nanoTime();
            TraceSet set;
            try {
                set = TraceSet.load(traces, fmt, cores, memoryMb, pool);
            } catch (IOException e) {
                err.println("replay: " + e.getMessage());
                return 1;
            }
            if (set.traces().isEmpty()) {
                err.println("replay: no usable trace in " + traces + " (skipped: " + set.skipped().traceReasons() + ")");
                return 1;
            }
            long loaded = System.nanoTime();
            List<PolicyResult> results = ReplayRunner.run(set.traces(), factories, pool, threads);
            long done = System.nanoTime();
            long steps = set.traces().stream().mapToLong(Trace::steps).sum();
            ReplayReport report = new ReplayReport(fmt, set.traces().size(), steps, set.skipped(), results);
            report.printTable(out);
            out.printf(Locale.ROOT, "time: load %.1f s, replay %.1f s (%d policies, %d threads)%n",
                    (loaded - start) / 1e9, (done - loaded) / 1e9, factories.size(), threads);
            if (json != null) {
                report.writeJson(json);
                out.println("json: " + json);
            }
            if (chart != null) {
                SvgChart.write(report, chart);
                out.println("chart: " + chart);
            }
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Redirects output (tests). */
    void streams(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }
}
