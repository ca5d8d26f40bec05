package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the metrics file: each container's sample keyed by its VMID string, plus the cycle
 * summary ({@link MissingNode} when the line has none).
 */
public record Snapshot(Map<String, JsonNode> containers, JsonNode summary) {
    /** The key of the summary object inside a snapshot line. */
    public static final String SUMMARY_KEY = "summary";

    public Snapshot {
        if (containers == null) {
            containers = Map.of();
        }
        if (containers.containsKey(SUMMARY_KEY)) {
            throw new IllegalArgumentException("a container cannot be keyed \"" + SUMMARY_KEY + "\"");
        }
        LinkedHashMap<String, JsonNode> copy = new LinkedHashMap<>();
        containers.forEach((vmid, sample) -> copy.put(
                java.util.Objects.requireNonNull(vmid, "vmid"),
                java.util.Objects.requireNonNull(sample, "sample of " + vmid)));
        containers = Collections.unmodifiableMap(copy);
        summary = summary == null ? MissingNode.getInstance() : summary;
    }

    /** The snapshot as one JSON object: the containers in map order, then {@code "summary"} if present. */
    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        containers.forEach(node::set);
        if (!summary.isMissingNode()) {
            node.set(SUMMARY_KEY, summary);
        }
        return node;
    }

    /**
     * Splits a snapshot object into containers and summary; every key except {@code "summary"} is a
     * container.
     *
     * @throws IllegalArgumentException if {@code json} is not a JSON object
     */
    public static Snapshot fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a snapshot must be a JSON object, got "
                    + (json == null ? "nothing" : json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        LinkedHashMap<String, JsonNode> containers = new LinkedHashMap<>();
        JsonNode summary = MissingNode.getInstance();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (SUMMARY_KEY.equals(field.getKey())) {
                summary = field.getValue();
            } else {
                containers.put(field.getKey(), field.getValue());
            }
        }
        return new Snapshot(containers, summary);
    }
}
