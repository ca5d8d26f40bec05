package io.lxcautoscale.model.replay.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.model.replay.sim.PolicyResult;
import io.lxcautoscale.model.replay.sim.TraceScore;
import io.lxcautoscale.model.replay.trace.SkipReport;
import io.lxcautoscale.model.replay.trace.TraceFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The replay's results: the stdout table and the {@code --json} document in the shape of {@code docs/reference/replay-scoring.md} §9. */
public record ReplayReport(TraceFormat format, int traces, long steps, SkipReport skipped, List<PolicyResult> policies) {
    public ReplayReport {
        policies = List.copyOf(policies);
    }

    /** Prints one row per policy (totals), then the per-trace means, then the skip summary. */
    public void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "replay: format %s, %d traces, %d steps%n", format.cliName(), traces, steps);
        String header = String.format(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %9s %9s %12s %12s",
                "policy", "cpu_slack", "cpu_short", "throttled", "mem_slack", "oom_steps", "oom_free", "chg/day",
                "waste_core_h", "waste_GB_h");
        out.println("totals (sums over all traces):");
        out.println(header);
        for (PolicyResult p : policies) {
            TraceScore s = p.totals();
            out.println(row(p.name(), s.cpuSlack(), s.cpuShortage(), s.throttledShare(), s.memorySlack(),
                    s.hasMemory() ? s.oomSteps() : Double.NaN, s.oomFreeDayShare(), s.changesPerDay(),
                    s.wastedCoreHours(), s.wastedGbHours()));
        }
        out.println("means of per-trace values:");
        out.println(header);
        for (PolicyResult p : policies) {
            boolean mem = p.totals().hasMemory();
            out.println(row(p.name(), p.mean(TraceScore::cpuSlack), p.mean(TraceScore::cpuShortage),
                    p.mean(TraceScore::throttledShare), mem ? p.mean(TraceScore::memorySlack) : Double.NaN,
                    mem ? p.mean(s -> s.oomSteps()) : Double.NaN, mem ? p.mean(TraceScore::oomFreeDayShare) : Double.NaN,
                    p.mean(TraceScore::changesPerDay), p.mean(TraceScore::wastedCoreHours),
                    mem ? p.mean(TraceScore::wastedGbHours) : Double.NaN));
        }
        out.printf(Locale.ROOT, "skipped: %d traces %s, %d rows %s%n", skipped.traces(), new TreeMap<>(skipped.traceReasons()),
                skipped.rows(), new TreeMap<>(skipped.rowReasons()));
        for (Map.Entry<String, String> e : skipped.firstSeen().entrySet()) {
            out.printf(Locale.ROOT, "  first %s: %s%n", e.getKey(), e.getValue());
        }
    }

    private static String row(String name, double cpuSlack, double cpuShort, double throttled, double memSlack,
                              double oom, double oomFree, double changes, double coreH, double gbH) {
        return String.format(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %9s %9s %12s %12s", name, f(cpuSlack, 3),
                f(cpuShort, 3), f(throttled, 3), f(memSlack, 3), f(oom, oom == Math.rint(oom) ? 0 : 1), pct(oomFree),
                f(changes, 2), f(coreH, 0), f(gbH, 0));
    }

    private static String f(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    /** The JSON document (totals; shares in [0, 1]; {@code null} where a score does not apply). */
    public ObjectNode toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", format.cliName());
        root.put("traces", traces);
        root.put("steps", steps);
        ObjectNode skip = root.putObject("skipped");
        skip.put("traces", skipped.traces());
        skip.put("rows", skipped.rows());
        ObjectNode reasons = skip.putObject("reasons");
        new TreeMap<>(skipped.traceReasons()).forEach(reasons::put);
        ObjectNode rowReasons = skip.putObject("row_reasons");
        new TreeMap<>(skipped.rowReasons()).forEach(rowReasons::put);
        ArrayNode list = root.putArray("policies");
        for (PolicyResult p : policies) {
            TraceScore s = p.totals();
            boolean mem = s.hasMemory();
            ObjectNode o = list.addObject();
            o.put("name", p.name());
            o.put("cpu_slack", s.cpuSlack());
            o.put("cpu_shortage", s.cpuShortage());
            o.put("throttled_steps", s.throttledShare());
            putOrNull(o, "memory_slack", mem, s.memorySlack());
            if (mem) {
                o.put("oom_steps", s.oomSteps());
            } else {
                o.putNull("oom_steps");
            }
            putOrNull(o, "oom_free_days", mem, s.oomFreeDayShare());
            o.put("changes_per_day", s.changesPerDay());
            o.put("wasted_core_hours", s.wastedCoreHours());
            putOrNull(o, "wasted_gb_hours", mem, s.wastedGbHours());
            ObjectNode m = o.putObject("per_trace_mean");
            m.put("cpu_slack", p.mean(TraceScore::cpuSlack));
            m.put("cpu_shortage", p.mean(TraceScore::cpuShortage));
            m.put("throttled_steps", p.mean(TraceScore::throttledShare));
            putOrNull(m, "memory_slack", mem, mean(p, TraceScore::memorySlack, mem));
            putOrNull(m, "oom_steps", mem, mean(p, x -> x.oomSteps(), mem));
            putOrNull(m, "oom_free_days", mem, mean(p, TraceScore::oomFreeDayShare, mem));
            m.put("changes_per_day", p.mean(TraceScore::changesPerDay));
        }
        return root;
    }

    private static double mean(PolicyResult p, ToDoubleFunction<TraceScore> f, boolean applies) {
        return applies ? p.mean(f) : Double.NaN;
    }

    private static void putOrNull(ObjectNode o, String key, boolean applies, double v) {
        if (applies && Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }
}
