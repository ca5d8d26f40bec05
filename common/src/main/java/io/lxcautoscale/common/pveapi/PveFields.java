package io.lxcautoscale.common.pveapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** Reads Proxmox JSON fields, which may be numbers or numeric strings and are often absent. */
final class PveFields {
    private PveFields() {
    }

    static String text(JsonNode object, String field, String absent) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? absent : value.asText();
    }

    static Optional<String> optionalText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
    }

    static long integer(String where, JsonNode object, String field, long absent) {
        return parsed(where, object, field, absent, JsonNode::isIntegralNumber, JsonNode::asLong, Long::parseLong, "an integer");
    }

    static double number(String where, JsonNode object, String field, double absent) {
        return parsed(where, object, field, absent, JsonNode::isNumber, JsonNode::asDouble, Double::parseDouble, "a number");
    }

    /** A JSON number as it is, or a numeric string parsed; absent or null gives {@code absent}. */
    private static <T> T parsed(String where, JsonNode object, String field, T absent, Predicate<JsonNode> isNumber,
                                Function<JsonNode, T> fromNumber, Function<String, T> fromText, String kind) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (isNumber.test(value)) {
            return fromNumber.apply(value);
        }
        try {
            return fromText.apply(value.asText().strip());
        } catch (NumberFormatException e) {
            throw new PveApiException(200, where + ": field '" + field + "' is not " + kind + ": " + value);
        }
    }

    /** Proxmox stores tags {@code ;}-separated (older releases also accept spaces and commas). */
    static List<String> tags(JsonNode object) {
        String raw = text(object, "tags", "");
        return Arrays.stream(raw.split("[;, ]+")).filter(t -> !t.isEmpty()).toList();
    }
}
