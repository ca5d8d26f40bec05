package io.lxcautoscale.model.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link StepHistory} as JSON (docs/cluster.md, "History after a migration"):
 * <pre>{"vmid": "105", "hostname": "web", "step_seconds": 300, "first_step_start": 1796000100,
 *  "cpu_cores": [0.52, null, ...], "memory_peak_mb": [712.0, null, ...]}</pre>
 * {@code null} where a step has no value. Reading checks every field and names every problem.
 */
public final class StepHistoryJson {
    private StepHistoryJson() {
    }

    public static String write(StepHistory steps) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("vmid", steps.vmid());
        if (steps.hostname() == null) {
            o.putNull("hostname");
        } else {
            o.put("hostname", steps.hostname());
        }
        o.put("step_seconds", steps.stepSeconds());
        o.put("first_step_start", steps.firstStepStart());
        values(o.putArray("cpu_cores"), steps.cpuCores());
        values(o.putArray("memory_peak_mb"), steps.memoryPeakMb());
        return o.toString();
    }

    private static void values(ArrayNode out, float[] values) {
        for (float v : values) {
            if (Float.isNaN(v)) {
                out.addNull();
            } else {
                out.add(v);
            }
        }
    }

    /**
     * The steps in {@code json}, which must be of {@code vmid}.
     *
     * @throws IllegalArgumentException naming every problem
     */
    public static StepHistory read(String vmid, String json) {
        JsonNode o;
        try {
            o = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        return read(vmid, o);
    }

    /** As {@link #read(String, String)}, from a parsed document. */
    public static StepHistory read(String vmid, JsonNode o) {
        List<String> problems = new ArrayList<>();
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!vmid.equals(o.path("vmid").asText(null))) {
            problems.add("vmid: " + o.path("vmid") + ", expected \"" + vmid + "\"");
        }
        JsonNode host = o.path("hostname");
        if (!host.isNull() && !host.isTextual()) {
            problems.add("hostname: " + host + " is neither a string nor null");
        }
        JsonNode step = o.path("step_seconds");
        if (!step.canConvertToInt() || !step.isIntegralNumber() || step.asInt() <= 0) {
            problems.add("step_seconds: " + step + " is not a positive whole number");
        }
        JsonNode first = o.path("first_step_start");
        if (!first.isIntegralNumber() || !first.canConvertToLong()) {
            problems.add("first_step_start: " + first + " is not a whole number of epoch seconds");
        } else if (problems.stream().noneMatch(p -> p.startsWith("step_seconds")) && Math.floorMod(first.asLong(), step.asLong()) != 0) {
            problems.add("first_step_start: " + first + " is not a multiple of step_seconds " + step);
        }
        float[] cpu = values(o.path("cpu_cores"), "cpu_cores", problems);
        float[] memory = values(o.path("memory_peak_mb"), "memory_peak_mb", problems);
        if (cpu != null && memory != null && cpu.length != memory.length) {
            problems.add("cpu_cores has " + cpu.length + " steps but memory_peak_mb " + memory.length);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new StepHistory(vmid, host.isNull() ? null : host.asText(), step.asInt(), first.asLong(), cpu, memory);
    }

    private static float[] values(JsonNode array, String name, List<String> problems) {
        if (!array.isArray()) {
            problems.add(name + ": " + (array.isMissingNode() ? "missing" : array + " is not an array"));
            return null;
        }
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (v.isNull()) {
                out[i] = Float.NaN;
            } else if (v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() >= 0) {
                out[i] = (float) v.asDouble();
            } else {
                problems.add(name + "[" + i + "]: " + v + " is not a number >= 0 or null");
                return null;
            }
        }
        return out;
    }
}
