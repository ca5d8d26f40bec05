package io.lxcautoscale.api.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.common.journal.DecisionText;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsPosition;
import io.lxcautoscale.common.metrics.MetricsReader;
import io.lxcautoscale.common.metrics.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's recent history as the status page shows it, kept in memory and brought up to date by tailing the
 * metrics file and the decision journal with {@link MetricsReader}s (the journal is written by the same writer,
 * so the same reader follows its rotation): {@link #refresh()} reads only what was appended since the last call.
 * The first call starts at the oldest rotated file written to within the window, not at the oldest one kept.
 *
 * <p>The window ends at the newest time seen in either file, not at the clock, so a stopped monitor shows its
 * last day rather than nothing. Reads ({@link #overview()}, {@link #container(String)}) may run while a refresh
 * is under way: each appended line is applied under the lock on its own.
 */
public final class StatusHistory {
    private final ApiConfig.Status settings;
    private final long bucketSeconds;
    private final int slots;
    private final long windowSeconds;
    private final Object refreshing = new Object();
    private MetricsReader metrics;
    private MetricsReader journal;

    private final Map<String, ContainerRecord> containers = new HashMap<>();
    private long latestEpochSecond = Long.MIN_VALUE;
    private Set<String> latestSnapshotVmids = Set.of();
    private JsonNode latestSummary;
    private String latestSampleAt;
    private ModelSettings model = ModelSettings.DEFAULTS;
    private FileTime modelConfigTime;
    private final Map<String, String> problems = new LinkedHashMap<>();
    private long samplesRead;
    private long entriesRead;

    public StatusHistory(ApiConfig.Status settings) {
        this.settings = settings;
        this.bucketSeconds = settings.bucket().toSeconds();
        this.windowSeconds = settings.window().toSeconds();
        this.slots = (int) Math.max(1, windowSeconds / bucketSeconds);
    }

    /** Reads what was appended to the metrics file and the journal since the last call, and the model's YAML if it changed. */
    public void refresh() {
        synchronized (refreshing) {
            readModelSettings();
            if (metrics == null) {
                metrics = new MetricsReader(settings.metricsFile(), windowStart(settings.metricsFile()));
                journal = new MetricsReader(settings.suggestionsFile(), windowStart(settings.suggestionsFile()));
            }
            read(metrics, "metrics_file", this::addSnapshot);
            read(journal, "suggestions_file", s -> addEntry(s.toJson()));
        }
    }

    private void read(MetricsReader reader, String key, java.util.function.Consumer<Snapshot> each) {
        try {
            reader.poll(each);
            problem(key, Files.exists(reader.file()) ? null : reader.file() + " does not exist (yet)");
        } catch (IOException e) {
            problem(key, e.getMessage());
        }
    }

    private synchronized void problem(String key, String message) {
        if (message == null) {
            problems.remove(key);
        } else {
            problems.put(key, message);
        }
    }

    private void readModelSettings() {
        FileTime time;
        try {
            time = Files.getLastModifiedTime(settings.modelConfigFile());
        } catch (IOException e) {
            time = null;
        }
        if (model != ModelSettings.DEFAULTS && java.util.Objects.equals(time, modelConfigTime)) {
            return;
        }
        ModelSettings read = ModelSettings.read(settings.modelConfigFile());
        synchronized (this) {
            model = read;
            modelConfigTime = time;
        }
    }

    /**
     * Where to start reading {@code file} and its rotated predecessors: the oldest one modified within the window
     * before the newest one's modification (older ones hold nothing the window shows).
     */
    private MetricsPosition windowStart(Path file) {
        try {
            FileTime newest = Files.getLastModifiedTime(file);
            Path start = file;
            for (int i = 1; i < 1000; i++) {
                Path rotated = file.resolveSibling(file.getFileName() + "." + i);
                if (!Files.exists(rotated)) {
                    break;
                }
                if (Files.getLastModifiedTime(rotated).toInstant().isBefore(newest.toInstant().minusSeconds(windowSeconds))) {
                    break;
                }
                start = rotated;
            }
            return start == file ? MetricsPosition.start() : MetricsPosition.startOf(start);
        } catch (NoSuchFileException e) {
            return MetricsPosition.start();
        } catch (IOException e) {
            return MetricsPosition.start();
        }
    }

    // ---- applying lines ---------------------------------------------------------------------------

    private synchronized void addSnapshot(Snapshot s) {
        Set<String> vmids = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : s.containers().entrySet()) {
            JsonNode sample = e.getValue();
            Instant at = time(sample.path("timestamp"));
            if (at == null) {
                continue;
            }
            vmids.add(e.getKey());
            samplesRead++;
            long t = at.getEpochSecond();
            ContainerRecord c = record(e.getKey());
            double cpu = number(sample.at("/cpu/used_cores"));
            JsonNode allocation = sample.path("allocation");
            double cores = allocation.has("cores") ? number(allocation.path("cores")) : number(allocation.path("effective_cpus"));
            double used = sample.at("/memory/used_mb").isNumber() ? number(sample.at("/memory/used_mb")) : number(sample.path("memory_usage_mb"));
            double memory = number(allocation.path("memory_mb"));
            c.window.add(t, cpu, cores, used, memory);
            long kills = sample.at("/memory/events/oom_kill").asLong(0);
            if (kills > 0) {
                c.oomKills.addLast(new ContainerRecord.OomKills(t, sample.path("timestamp").asText(), kills));
                c.lastOomKillAt = sample.path("timestamp").asText();
            }
            if (t >= c.sampleEpochSecond) {
                c.sampleEpochSecond = t;
                c.sampleTimestamp = sample.path("timestamp").asText();
                c.cpuUsed = cpu;
                c.cores = cores;
                c.memoryUsedMb = used;
                c.memoryMb = memory;
                c.hostname = allocation.path("hostname").isTextual() ? allocation.path("hostname").asText() : c.hostname;
                List<String> tags = new ArrayList<>();
                allocation.path("tags").forEach(tag -> tags.add(tag.asText()));
                c.tags = List.copyOf(tags);
            }
            advance(t, sample.path("timestamp").asText());
        }
        if (!vmids.isEmpty()) {
            latestSnapshotVmids = vmids;
        }
        if (!s.summary().isMissingNode()) {
            latestSummary = s.summary();
        }
    }

    private synchronized void addEntry(JsonNode entry) {
        Instant at = time(entry.path("timestamp"));
        String vmid = entry.path("container_id").asText();
        if (at == null || vmid.isEmpty()) {
            return;
        }
        entriesRead++;
        long t = at.getEpochSecond();
        ContainerRecord c = record(vmid);
        c.addEntry(entry);
        c.entryEpochSecond = Math.max(c.entryEpochSecond, t);
        String cpuAction = entry.path("cpu_action").asText("none");
        String ramAction = entry.path("ram_action").asText("none");
        if (!"none".equals(cpuAction) || !"none".equals(ramAction)) {
            c.marks.addLast(new ContainerRecord.Mark(t, entry.path("timestamp").asText(), entry.path("outcome").asText(), cpuAction, ramAction,
                    entry.path("cores_before").asInt(), entry.path("cores_after").asInt(),
                    entry.path("memory_mb_before").asLong(), entry.path("memory_mb_after").asLong()));
        }
        advance(t, null);
    }

    private ContainerRecord record(String vmid) {
        return containers.computeIfAbsent(vmid, v -> new ContainerRecord(slots, bucketSeconds, settings.explainEntries()));
    }

    /** Moves the window's end forward; every so often forgets what fell out of it. */
    private void advance(long t, String sampleAt) {
        if (sampleAt != null && t >= latestEpochSecond) {
            latestSampleAt = sampleAt;
        }
        if (t <= latestEpochSecond) {
            return;
        }
        long before = latestEpochSecond;
        latestEpochSecond = t;
        if (before == Long.MIN_VALUE || t / bucketSeconds != before / bucketSeconds) {
            long start = windowStartSecond();
            containers.values().removeIf(c -> c.lastSeen() < start);
            containers.values().forEach(c -> c.prune(start));
        }
    }

    private long windowStartSecond() {
        return latestEpochSecond == Long.MIN_VALUE ? Long.MIN_VALUE : latestEpochSecond - windowSeconds;
    }

    private static Instant time(JsonNode n) {
        if (!n.isTextual()) {
            return null;
        }
        long fast = utcSecond(n.asText());
        if (fast != Long.MIN_VALUE) {
            return Instant.ofEpochSecond(fast);
        }
        try {
            return MetricTime.parse(n.asText());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The whole seconds of a time in the shape the monitor and the model write ({@code 2026-08-18T13:07:56.123456+00:00}),
     * read field by field: the first read handles millions of them. Long.MIN_VALUE for any other shape, which
     * {@link MetricTime#parse} then reads.
     */
    static long utcSecond(String s) {
        if (s.length() != 32 || !s.endsWith("+00:00") || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != '.') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (digits(s, 20, 26) < 0 || year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        return java.time.LocalDate.of(year, month, day).toEpochDay() * 86400 + hour * 3600L + minute * 60L + second;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    // ---- views ------------------------------------------------------------------------------------

    /** The node and one row per container seen within the window, by VMID (numerically). */
    public synchronized Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("history", history());
        out.put("node", node());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String vmid : vmidsInWindow()) {
            rows.add(row(vmid, containers.get(vmid)));
        }
        out.put("containers", rows);
        return out;
    }

    /** One container's row, chart series, decision marks and {@code explain} text; null when not seen within the window. */
    public synchronized Map<String, Object> container(String vmid) {
        ContainerRecord c = containers.get(vmid);
        if (c == null || c.lastSeen() < windowStartSecond()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("history", history());
        out.put("container", row(vmid, c));
        List<Long> t = new ArrayList<>();
        List<Double> cpuUsed = new ArrayList<>();
        List<Double> cpuAllocated = new ArrayList<>();
        List<Double> memoryUsed = new ArrayList<>();
        List<Double> memoryAllocated = new ArrayList<>();
        for (UsageWindow.Point p : c.window.points(windowStartSecond(), latestEpochSecond)) {
            t.add(p.start());
            cpuUsed.add(rounded(p.cpuUsed(), 1000));
            cpuAllocated.add(rounded(p.cpuAllocated(), 1000));
            memoryUsed.add(rounded(p.memoryUsedMb(), 10));
            memoryAllocated.add(rounded(p.memoryAllocatedMb(), 10));
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("bucket_seconds", bucketSeconds);
        series.put("start", t);
        series.put("cpu_used_cores", cpuUsed);
        series.put("cpu_allocated_cores", cpuAllocated);
        series.put("memory_used_mb", memoryUsed);
        series.put("memory_allocated_mb", memoryAllocated);
        out.put("series", series);
        List<Map<String, Object>> marks = new ArrayList<>();
        for (ContainerRecord.Mark m : c.marks) {
            Map<String, Object> mark = new LinkedHashMap<>();
            mark.put("at", m.epochSecond());
            mark.put("timestamp", m.timestamp());
            mark.put("outcome", m.outcome());
            mark.put("cpu_action", m.cpuAction());
            mark.put("ram_action", m.ramAction());
            mark.put("cores_before", m.coresBefore());
            mark.put("cores_after", m.coresAfter());
            mark.put("memory_mb_before", m.memoryMbBefore());
            mark.put("memory_mb_after", m.memoryMbAfter());
            marks.add(mark);
        }
        out.put("decisions", marks);
        List<String> explain = new ArrayList<>();
        c.entries.forEach(e -> explain.add(DecisionText.describe(e)));
        out.put("explain", explain);
        out.put("journal_entries", List.copyOf(c.entries));
        return out;
    }

    /** Which files, how far the window reaches, how much was read, and what could not be read. */
    private Map<String, Object> history() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("metrics_file", settings.metricsFile().toString());
        h.put("suggestions_file", settings.suggestionsFile().toString());
        h.put("latest_sample_at", latestSampleAt);
        h.put("window_end", latestEpochSecond == Long.MIN_VALUE ? null : latestEpochSecond);
        h.put("window_start", latestEpochSecond == Long.MIN_VALUE ? null : windowStartSecond());
        h.put("window_hours", settings.window().toHours());
        h.put("bucket_seconds", bucketSeconds);
        h.put("samples_read", samplesRead);
        h.put("journal_entries_read", entriesRead);
        h.put("problems", List.copyOf(problems.values()));
        return h;
    }

    private Map<String, Object> node() {
        JsonNode s = latestSummary == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : latestSummary;
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("hostname", s.path("hostname").isTextual() ? s.path("hostname").asText() : null);
        n.put("host_cpus", s.path("host_cpus").isNumber() ? s.path("host_cpus").asInt() : null);
        n.put("host_memory_mb", s.path("host_memory_mb").isNumber() ? s.path("host_memory_mb").asLong() : null);
        n.put("reserve_cores", model.reserveCores());
        n.put("reserve_memory_mb", model.reserveMemoryMb());
        double cores = 0;
        double memory = 0;
        double cpuUsed = 0;
        double memoryUsed = 0;
        for (String vmid : latestSnapshotVmids) {
            ContainerRecord c = containers.get(vmid);
            if (c == null) {
                continue;
            }
            cores += zeroIfNaN(c.cores);
            memory += zeroIfNaN(c.memoryMb);
            cpuUsed += zeroIfNaN(c.cpuUsed);
            memoryUsed += zeroIfNaN(c.memoryUsedMb);
        }
        n.put("containers_in_latest_sample", latestSnapshotVmids.size());
        n.put("allocated_cores", rounded(cores, 1000));
        n.put("allocated_memory_mb", rounded(memory, 10));
        n.put("cpu_used_cores", rounded(cpuUsed, 1000));
        n.put("memory_used_mb", rounded(memoryUsed, 10));
        n.put("model_config_file", settings.modelConfigFile().toString());
        n.put("model_config_note", model.note());
        return n;
    }

    private List<String> vmidsInWindow() {
        long start = windowStartSecond();
        List<String> out = new ArrayList<>();
        containers.forEach((vmid, c) -> {
            if (c.lastSeen() >= start) {
                out.add(vmid);
            }
        });
        out.sort(Comparator.comparingLong((String v) -> v.matches("[0-9]{1,18}") ? Long.parseLong(v) : Long.MAX_VALUE)
                .thenComparing(Comparator.naturalOrder()));
        return out;
    }

    private Map<String, Object> row(String vmid, ContainerRecord c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("vmid", vmid);
        r.put("hostname", c.hostname);
        r.put("sample_at", c.sampleTimestamp);
        r.put("cpu_used_cores", rounded(c.cpuUsed, 1000));
        r.put("cpu_allocated_cores", rounded(c.cores, 1000));
        r.put("memory_used_mb", rounded(c.memoryUsedMb, 10));
        r.put("memory_allocated_mb", rounded(c.memoryMb, 10));
        r.put("tags", c.tags);
        r.put("tier", model.tierOf(vmid, c.tags));
        r.put("opt_out", model.optOut(vmid, c.tags));
        r.put("last_oom_kill_at", c.lastOomKillAt);
        long kills = 0;
        for (ContainerRecord.OomKills k : c.oomKills) {
            kills += k.count();
        }
        r.put("oom_kills_in_window", kills);
        JsonNode latest = c.latestEntry();
        if (latest == null) {
            r.put("decision", null);
        } else {
            Map<String, Object> d = new LinkedHashMap<>();
            for (String key : List.of("timestamp", "outcome", "cpu_action", "ram_action", "cores_before", "cores_after",
                    "memory_mb_before", "memory_mb_after", "confidence", "reason", "error")) {
                if (latest.has(key)) {
                    d.put(key, latest.get(key));
                }
            }
            r.put("decision", d);
        }
        return r;
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** {@code v} rounded to 1/{@code scale}; null (JSON null) when not known. */
    private static Double rounded(double v, int scale) {
        return Double.isNaN(v) ? null : Math.round(v * scale) / (double) scale;
    }
}
