package io.lxcautoscale.common.pveapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        try {
            return Long.parseLong(value.asText().strip());
        } catch (NumberFormatException e) {
            throw new PveApiException(200, where + ": field '" + field + "' is not an integer: " + value);
        }
    }

    static double number(String where, JsonNode object, String field, double absent) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.parseDouble(value.asText().strip());
        } catch (NumberFormatException e) {
            throw new PveApiException(200, where + ": field '" + field + "' is not a number: " + value);
        }
    }

    /** Proxmox stores tags {@code ;}-separated (older releases also accept spaces and commas). */
    static List<String> tags(JsonNode object) {
        String raw = text(object, "tags", "");
        return Arrays.stream(raw.split("[;, ]+")).filter(t -> !t.isEmpty()).toList();
    }
}
