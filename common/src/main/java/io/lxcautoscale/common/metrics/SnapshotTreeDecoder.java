package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/** Decodes each snapshot into a {@link Snapshot} (a JSON tree) for a {@code Consumer<Snapshot>}. */
final class SnapshotTreeDecoder implements SnapshotDecoder {
    private final Consumer<Snapshot> consumer;
    private Snapshot parsed;

    SnapshotTreeDecoder(Consumer<Snapshot> consumer) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    @Override
    public void parse(byte[] bytes, int offset, int length) throws IOException {
        parsed = null;
        try (JsonParser parser = Json.mapper().createParser(bytes, offset, length)) {
            JsonNode node = Json.mapper().readTree(parser);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object but "
                        + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("data after the JSON object");
            }
            parsed = Snapshot.fromJson(node);
        }
    }

    @Override
    public void deliver() {
        consumer.accept(parsed);
    }
}
