package io.lxcautoscale.sim.pveapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * One answer of the simulated API in Proxmox's shape: success {@code {"data": ...}}; errors
 * {@code {"data":null,"message":"<text>\n"}} (plus {@code errors} per field for 400); 401 and 595 have no body.
 */
public record SimPveResponse(int status, Optional<String> body) {
    public static SimPveResponse ok(JsonNode data) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.set("data", data);
        return new SimPveResponse(200, Optional.of(envelope.toString()));
    }

    public static SimPveResponse error(int status, String message) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.putNull("data");
        envelope.put("message", message + "\n");
        return new SimPveResponse(status, Optional.of(envelope.toString()));
    }

    public static SimPveResponse parameterErrors(Map<String, String> errors) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.putNull("data");
        ObjectNode fields = envelope.putObject("errors");
        errors.forEach(fields::put);
        envelope.put("message", "Parameter verification failed.\n");
        return new SimPveResponse(400, Optional.of(envelope.toString()));
    }

    public static SimPveResponse empty(int status) {
        return new SimPveResponse(status, Optional.empty());
    }
}
