package io.lxcautoscale.common.journal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one decision journal entry reads for a person: the text {@code lxc_autoscale_ml explain} prints and the
 * API's status page shows. Shared so both say the same thing.
 */
public final class DecisionText {
    private DecisionText() {
    }

    /** One entry in two lines: when, outcome, cores and memory before→after, confidence, anomaly; then the reason (and error). */
    public static String describe(JsonNode e) {
        String cpu = e.path("cpu_action").asText();
        String ram = e.path("ram_action").asText();
        return String.format("%s  %-9s cores %s→%s (%s), memory %s→%s MiB (%s), confidence %.2f%%, anomaly %s%n    %s%s",
                e.path("timestamp").asText(), e.path("outcome").asText(),
                e.path("cores_before").asText(), e.path("cores_after").asText(), cpu,
                e.path("memory_mb_before").asText(), e.path("memory_mb_after").asText(), ram,
                e.path("confidence").asDouble(),
                e.path("anomaly_score").isNumber() ? String.format("%.3f (threshold %.3f)", e.path("anomaly_score").asDouble(),
                        e.path("anomaly_threshold").asDouble()) : "n/a",
                e.path("reason").asText(),
                e.hasNonNull("error") ? "\n    error: " + e.path("error").asText() : "");
    }
}
