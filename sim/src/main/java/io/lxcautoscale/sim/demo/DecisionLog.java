package io.lxcautoscale.sim.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows the model's decision journal (JSON Lines) and keeps, per container, the latest decision and the latest
 * applied change, plus how many scale-ups and scale-downs were applied in total and, in cluster mode, the placement
 * recommendations ({@code recommend_migrate} entries).
 */
final class DecisionLog {
    /** One journal entry as the table shows it. */
    record Entry(String time, String cpuAction, String ramAction, int coresBefore, int coresAfter, int memoryBefore,
                 int memoryAfter, String outcome, String reason) {
        boolean changes() {
            return !cpuAction.equals("none") || !ramAction.equals("none");
        }
    }

    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private final Map<String, Entry> latest = new HashMap<>();
    private final Map<String, Entry> latestChange = new HashMap<>();
    private final Map<String, String> recommendedNode = new HashMap<>();
    private int appliedUps;
    private int appliedDowns;
    private int recommendations;

    DecisionLog(Path file) {
        this.file = file;
    }

    /** Reads what was appended since the last call; a shorter file means it was rotated, so it is read from the start. */
    void poll() {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length < offset) {
                offset = 0;
                partial.setLength(0);
            }
            if (length == offset) {
                return;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 8 << 20)];
            f.seek(offset);
            f.readFully(bytes);
            offset += bytes.length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return; // the model may be rotating the file; try again on the next refresh
        }
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, newline);
            partial.delete(0, newline + 1);
            accept(line);
        }
    }

    private void accept(String line) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(line);
        } catch (IOException e) {
            return;
        }
        if (n == null || !n.has("container_id")) {
            return;
        }
        String ts = n.path("timestamp").asText("");
        Entry e = new Entry(ts.length() >= 19 ? ts.substring(11, 19) : ts, n.path("cpu_action").asText("none"),
                n.path("ram_action").asText("none"), n.path("cores_before").asInt(), n.path("cores_after").asInt(),
                n.path("memory_mb_before").asInt(), n.path("memory_mb_after").asInt(), n.path("outcome").asText(""),
                n.path("reason").asText(""));
        String vmid = n.path("container_id").asText();
        if (e.outcome().equals("recommend_migrate")) {
            // cluster mode: advice only, written just before the capped decision's own entry, which stays the latest
            recommendations++;
            recommendedNode.put(vmid, n.path("to_node").asText());
            return;
        }
        latest.put(vmid, e);
        if (e.changes()) {
            latestChange.put(vmid, e);
            if (e.outcome().equals("applied")) {
                if (e.coresAfter() > e.coresBefore() || e.memoryAfter() > e.memoryBefore()) {
                    appliedUps++;
                }
                if (e.coresAfter() < e.coresBefore() || e.memoryAfter() < e.memoryBefore()) {
                    appliedDowns++;
                }
            }
        }
    }

    Entry latest(int vmid) {
        return latest.get(Integer.toString(vmid));
    }

    Entry latestChange(int vmid) {
        return latestChange.get(Integer.toString(vmid));
    }

    /** The node the latest placement recommendation for the container named, or null when it has none. */
    String recommendedNode(int vmid) {
        return recommendedNode.get(Integer.toString(vmid));
    }

    /** {@code recommend_migrate} entries so far (cluster mode). */
    int recommendations() {
        return recommendations;
    }

    int appliedUps() {
        return appliedUps;
    }

    int appliedDowns() {
        return appliedDowns;
    }
}
