package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decodes each line (or array element) into one JSON object tree for a {@code Consumer<ObjectNode>}, as it is,
 * without splitting it into containers and summary: for files of other records written the same way, such as
 * the decision journal.
 */
public final class JsonObjectDecoder implements SnapshotDecoder {
    private final Consumer<ObjectNode> consumer;
    private ObjectNode parsed;

    public JsonObjectDecoder(Consumer<ObjectNode> consumer) {
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
            parsed = (ObjectNode) node;
        }
    }

    @Override
    public void deliver() {
        consumer.accept(parsed);
    }
}
