package io.lxcautoscale.model.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.metrics.MetricsWriter;
import io.lxcautoscale.model.act.Actuation;
import io.lxcautoscale.model.cluster.PlacementAdvisor;
import io.lxcautoscale.model.policy.Decision;
import io.lxcautoscale.model.policy.PolicyState;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision journal ({@code suggestions_file}): one JSON object per line for every decision, "no
 * change" included, in the entry shape the original documented plus the anomaly score, the allocation
 * before and after, and the outcome. Rotated by size with the same writer as the metrics file.
 */
public final class SuggestionJournal implements Closeable {
    private final MetricsWriter writer;

    public SuggestionJournal(Path file, long maxFileBytes, int rotatedFilesKept) {
        this.writer = new MetricsWriter(file, maxFileBytes, rotatedFilesKept, null);
    }

    /** The journal entry for a decision and what became of it ({@code error} may be null). */
    public static ObjectNode entry(Instant now, Decision d, Outcome outcome, String error) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("timestamp", MetricTime.format(now));
        e.put("container_id", d.vmid());
        e.put("cpu_action", d.cpuAction().journalName());
        e.put("cpu_amount", Math.abs(d.coresAfter() - d.coresBefore()));
        e.put("ram_action", d.memoryAction().journalName());
        e.put("ram_amount", Math.abs(d.memoryMbAfter() - d.memoryMbBefore()));
        e.put("confidence", Math.round(d.confidence() * 100) / 100.0);
        e.put("reason", d.reason());
        putNumber(e, "anomaly_score", d.anomaly().score());
        putNumber(e, "anomaly_threshold", d.anomaly().threshold());
        e.put("anomalous", d.anomaly().anomalous());
        e.put("urgent", d.urgent());
        e.put("cores_before", d.coresBefore());
        e.put("cores_after", d.coresAfter());
        e.put("memory_mb_before", d.memoryMbBefore());
        e.put("memory_mb_after", d.memoryMbAfter());
        e.put("outcome", outcome.json());
        if (error != null) {
            e.put("error", error);
        }
        return e;
    }

    /**
     * The entry for a decision that was carried out: {@code applied} when every change was, else {@code failed}
     * with the error; {@code cpu_outcome} and {@code ram_outcome} say which resource was applied
     * ({@code applied}, {@code failed} or {@code none}).
     */
    public static ObjectNode entry(Instant now, Decision d, Actuation a) {
        ObjectNode e = entry(now, d, a.allApplied() ? Outcome.APPLIED : Outcome.FAILED, a.error());
        e.put("cpu_outcome", a.cpu().json());
        e.put("ram_outcome", a.memory().json());
        return e;
    }

    /**
     * A {@code recommend_migrate} entry: the decision's shape with no action (so readers of decisions see nothing
     * done), the allocation now as before and after, and {@code from_node}, {@code to_node}, {@code wanted_cores},
     * {@code wanted_memory_mb}.
     */
    public static ObjectNode recommendation(Instant now, PlacementAdvisor.Recommendation r, int coresNow, int memoryMbNow) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("timestamp", MetricTime.format(now));
        e.put("container_id", r.vmid());
        e.put("cpu_action", "none");
        e.put("cpu_amount", 0);
        e.put("ram_action", "none");
        e.put("ram_amount", 0);
        e.put("reason", r.reason());
        e.put("cores_before", coresNow);
        e.put("cores_after", coresNow);
        e.put("memory_mb_before", memoryMbNow);
        e.put("memory_mb_after", memoryMbNow);
        e.put("outcome", Outcome.RECOMMEND_MIGRATE.json());
        e.put("from_node", r.fromNode());
        e.put("to_node", r.toNode());
        e.put("wanted_cores", r.wantedCores());
        e.put("wanted_memory_mb", r.wantedMemoryMb());
        return e;
    }

    /**
     * A {@code migrate_started}, {@code migrate_done} or {@code migrate_failed} entry: nothing scaled ({@code cpu_action}
     * and {@code ram_action} {@code none}, the allocation when the migration started as before and after),
     * {@code from_node}, {@code to_node}, the task's {@code upid} (null when it could not be started) and, once it
     * ended, Proxmox's {@code exitstatus}.
     */
    public static ObjectNode migration(Instant now, Outcome outcome, String vmid, int cores, int memoryMb, String fromNode, String toNode,
                                       String upid, String exitstatus, String reason) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("timestamp", MetricTime.format(now));
        e.put("container_id", vmid);
        e.put("cpu_action", "none");
        e.put("cpu_amount", 0);
        e.put("ram_action", "none");
        e.put("ram_amount", 0);
        e.put("reason", reason);
        e.put("cores_before", cores);
        e.put("cores_after", cores);
        e.put("memory_mb_before", memoryMb);
        e.put("memory_mb_after", memoryMb);
        e.put("outcome", outcome.json());
        e.put("from_node", fromNode);
        e.put("to_node", toNode);
        e.put("upid", upid);
        if (exitstatus != null) {
            e.put("exitstatus", exitstatus);
        }
        return e;
    }

    private static void putNumber(ObjectNode e, String key, double v) {
        if (Double.isNaN(v)) {
            e.putNull(key);
        } else {
            e.put(key, Math.round(v * 10_000) / 10_000.0);
        }
    }

    public void append(ObjectNode entry) throws IOException {
        writer.append(entry);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /**
     * The last {@code limit} entries for {@code vmid}, oldest first, from the live file and its rotated
     * predecessors ({@code file.1}, {@code file.2}, …). Lines that are not JSON are skipped.
     */
    public static List<JsonNode> lastEntries(Path file, String vmid, int limit) throws IOException {
        Deque<JsonNode> found = new ArrayDeque<>();
        List<Path> files = rotatedAndLive(file);
        Collections.reverse(files); // newest first
        for (Path f : files) {
            Deque<JsonNode> inFile = new ArrayDeque<>();
            readEntries(f, n -> {
                if (vmid.equals(n.path("container_id").asText())) {
                    inFile.addLast(n);
                    if (inFile.size() > limit) {
                        inFile.removeFirst();
                    }
                }
            });
            while (!inFile.isEmpty() && found.size() < limit) {
                found.addFirst(inFile.removeLast());
            }
            if (found.size() >= limit) {
                break;
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * The cooldown state implied by the journal: per container, when cores and memory last changed by an
     * applied change. Reads the rotated files ({@code file.N} … {@code file.1}) before the live one, so a
     * restart right after a rotation still honours the cooldowns. A resource counts as changed when its
     * {@code cpu_outcome}/{@code ram_outcome} is {@code applied}, or (entries without those fields) when the
     * entry's outcome is {@code applied} and the resource's action is not {@code none}.
     */
    public static Map<String, PolicyState> lastChanges(Path file) throws IOException {
        Map<String, PolicyState> out = new HashMap<>();
        List<Path> files = rotatedAndLive(file);
        for (Path f : files) {
            readEntries(f, n -> {
                Instant at;
                try {
                    at = MetricTime.parse(n.path("timestamp").asText());
                } catch (RuntimeException e) {
                    return;
                }
                boolean cpu = changed(n, "cpu_outcome", "cpu_action");
                boolean memory = changed(n, "ram_outcome", "ram_action");
                if (!cpu && !memory) {
                    return;
                }
                String vmid = n.path("container_id").asText();
                PolicyState before = out.getOrDefault(vmid, PolicyState.INITIAL);
                out.put(vmid, new PolicyState(cpu ? at : before.lastCpuChangeAt(), memory ? at : before.lastMemoryChangeAt()));
            });
        }
        return out;
    }

    private static boolean changed(JsonNode n, String outcomeKey, String actionKey) {
        if (n.hasNonNull(outcomeKey)) {
            return "applied".equals(n.path(outcomeKey).asText());
        }
        return "applied".equals(n.path("outcome").asText()) && !"none".equals(n.path(actionKey).asText());
    }

    /** The rotated journal files, oldest first, then the live one. */
    private static List<Path> rotatedAndLive(Path file) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < 100; i++) {
            Path rotated = file.resolveSibling(file.getFileName() + "." + i);
            if (!Files.exists(rotated)) {
                break;
            }
            files.add(0, rotated);
        }
        files.add(file);
        return files;
    }

    /** Each parseable entry of one journal file, in order; a missing file has none, a garbled line is skipped. */
    private static void readEntries(Path f, java.util.function.Consumer<JsonNode> each) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode n;
                try {
                    n = Json.mapper().readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (n != null) {
                    each.accept(n);
                }
            }
        } catch (NoSuchFileException e) {
            // rotated away or never written: no entries
        }
    }
}
