package io.lxcautoscale.common.proxmox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;

/** Parses the output of {@code pvesh get <path> --output-format json} with the project's one JSON mapper. */
public final class PveshJson {
    private PveshJson() {
    }

    public static JsonNode parse(String apiPath, String stdout) {
        try {
            JsonNode node = Json.mapper().readTree(stdout);
            if (node == null || node.isMissingNode()) {
                throw new ProxmoxParseException("pvesh get " + apiPath + " printed no JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProxmoxParseException("pvesh get " + apiPath + " printed invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
