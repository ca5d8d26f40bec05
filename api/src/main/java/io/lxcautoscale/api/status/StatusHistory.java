package io.lxcautoscale.api.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.common.journal.DecisionText;
import io.lxcautoscale.common.metrics.EpochSecondParser;
import io.lxcautoscale.common.metrics.JsonObjectDecoder;
import io.lxcautoscale.common.metrics.MetricsPosition;
import io.lxcautoscale.common.metrics.MetricsReader;
import io.lxcautoscale.common.metrics.SampleFields;
import io.lxcautoscale.common.metrics.SampleRow;
import io.lxcautoscale.common.metrics.SampleRowDecoder;
import io.lxcautoscale.common.metrics.SnapshotDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
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
 * Metrics snapshots are streamed into primitive rows holding only the fields the page shows (no JSON tree per
 * sample); journal entries are read as one tree each, since the page shows the last few whole.
 * The first call starts at the oldest rotated file written to within the window, not at the oldest one kept.
 *
 * <p>The window ends at the newest time seen in either file, not at the clock, so a stopped monitor shows its
 * last day rather than nothing. Reads ({@link #overview()}, {@link #container(String)}) may run while a refresh
 * is under way: each appended line is applied under the lock on its own.
 */
public final class StatusHistory {
    /** The fields of a container sample the page shows; nothing else of the metrics file is decoded. */
    private static final SampleFields FIELDS = new SampleFields();
    private static final int AT = FIELDS.timestampText();
    private static final int CPU_USED = FIELDS.number("cpu", "used_cores");
    private static final int CORES = FIELDS.number("allocation", "cores");
    private static final int EFFECTIVE_CPUS = FIELDS.number("allocation", "effective_cpus");
    private static final int MEMORY_USED_MB = FIELDS.number("memory", "used_mb");
    private static final int MEMORY_USAGE_MB = FIELDS.number("memory_usage_mb");
    private static final int MEMORY_MB = FIELDS.number("allocation", "memory_mb");
    private static final int OOM_KILLS = FIELDS.number("memory", "events", "oom_kill");
    private static final int HOSTNAME = FIELDS.text("allocation", "hostname");
    private static final int TAGS = FIELDS.texts("allocation", "tags");

    private final ApiConfig.Status settings;
    private final long bucketSeconds;
    private final int slots;
    private final long windowSeconds;
    private final Object refreshing = new Object();
    private MetricsReader metrics;
    private MetricsReader journal;
    /** Timestamps without offset are local time, as {@link io.lxcautoscale.common.metrics.MetricTime#parse(String)} reads them. */
    private final ZoneId zone = ZoneId.systemDefault();
    /** Used by the refreshing thread only (under {@link #refreshing}): the decoder and the parser cache state. */
    private final SnapshotDecoder metricsRows = new SnapshotRows();
    private final SnapshotDecoder journalEntries = new JsonObjectDecoder(this::addEntry);
    private final EpochSecondParser journalTimes = new EpochSecondParser(zone);
    /** The VMIDs with a usable sample in the snapshot being delivered. */
    private Set<String> snapshotVmids;

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
            read(metrics, "metrics_file", () -> metrics.poll(metricsRows));
            read(journal, "suggestions_file", () -> journal.poll(journalEntries));
        }
    }

    private interface Poll {
        void run() throws IOException;
    }

    private void read(MetricsReader reader, String key, Poll poll) {
        try {
            poll.run();
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

    /** Applies each snapshot's rows and summary under the lock, the snapshot as a whole. */
    private final class SnapshotRows implements SnapshotDecoder {
        private final SampleRowDecoder rows = new SampleRowDecoder(FIELDS, zone, StatusHistory.this::addSample,
                summary -> latestSummary = summary);

        @Override
        public void parse(byte[] bytes, int offset, int length) throws IOException {
            rows.parse(bytes, offset, length);
        }

        @Override
        public void deliver() {
            synchronized (StatusHistory.this) {
                snapshotVmids = new HashSet<>();
                rows.deliver();
                if (!snapshotVmids.isEmpty()) {
                    latestSnapshotVmids = snapshotVmids;
                }
                snapshotVmids = null;
            }
        }
    }

    /** One container sample of the snapshot being delivered (called under the lock). */
    private void addSample(SampleRow row) {
        if (!row.hasTime()) {
            return;
        }
        snapshotVmids.add(row.vmid());
        samplesRead++;
        long t = row.epochSecond();
        ContainerRecord c = record(row.vmid());
        double cpu = row.number(CPU_USED);
        double cores = firstNumber(row.number(CORES), row.number(EFFECTIVE_CPUS));
        double used = firstNumber(row.number(MEMORY_USED_MB), row.number(MEMORY_USAGE_MB));
        double memory = row.number(MEMORY_MB);
        c.window.add(t, cpu, cores, used, memory);
        long kills = (long) row.number(OOM_KILLS); // NaN (absent) is 0
        if (kills > 0) {
            c.oomKills.addLast(new ContainerRecord.OomKills(t, row.text(AT), kills));
            c.lastOomKillAt = row.text(AT);
        }
        if (t >= c.sampleEpochSecond) {
            c.sampleEpochSecond = t;
            c.sampleTimestamp = row.text(AT);
            c.cpuUsed = cpu;
            c.cores = cores;
            c.memoryUsedMb = used;
            c.memoryMb = memory;
            if (row.hasText(HOSTNAME) && !row.textEquals(HOSTNAME, c.hostname)) {
                c.hostname = row.text(HOSTNAME);
            }
            if (!row.textsEqual(TAGS, c.tags)) {
                List<String> tags = row.texts(TAGS);
                c.tags = tags == null ? List.of() : List.copyOf(tags);
            }
        }
        advance(t, row.text(AT));
    }

    /** {@code preferred} unless it is not known (NaN), then {@code fallback}. */
    private static double firstNumber(double preferred, double fallback) {
        return Double.isNaN(preferred) ? fallback : preferred;
    }

    private synchronized void addEntry(JsonNode entry) {
        long t = journalTime(entry.path("timestamp"));
        String vmid = entry.path("container_id").asText();
        if (t == Long.MIN_VALUE || vmid.isEmpty()) {
            return;
        }
        entriesRead++;
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

    /** The epoch second of a journal entry's timestamp; Long.MIN_VALUE when it is not a time. */
    private long journalTime(JsonNode n) {
        if (!n.isTextual()) {
            return Long.MIN_VALUE;
        }
        try {
            return journalTimes.parse(n.asText());
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
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
