package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotTest {
    @Test
    void splitsContainersFromSummaryAndWritesThemBackInOrder() throws Exception {
        JsonNode json = Json.mapper().readTree(
                "{\"105\":{\"cpu_usage_percent\":1.5},\"104\":{\"cpu_usage_percent\":2},\"summary\":{\"total_containers\":2}}");
        Snapshot snapshot = Snapshot.fromJson(json);
        assertThat(snapshot.containers().keySet()).containsExactly("105", "104");
        assertThat(snapshot.summary().get("total_containers").asInt()).isEqualTo(2);
        assertThat(Json.mapper().writeValueAsString(snapshot.toJson())).isEqualTo(json.toString());
    }

    @Test
    void aSnapshotWithoutSummaryHasAMissingSummaryAndWritesNone() throws Exception {
        Snapshot snapshot = Snapshot.fromJson(Json.mapper().readTree("{\"104\":{}}"));
        assertThat(snapshot.summary().isMissingNode()).isTrue();
        assertThat(snapshot.toJson().has("summary")).isFalse();
    }

    @Test
    void rejectsAnythingButAnObject() throws Exception {
        assertThatThrownBy(() -> Snapshot.fromJson(Json.mapper().readTree("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> Snapshot.fromJson(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aContainerCannotBeCalledSummary() {
        assertThatThrownBy(() -> new Snapshot(Map.of("summary", Json.mapper().createObjectNode()), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
