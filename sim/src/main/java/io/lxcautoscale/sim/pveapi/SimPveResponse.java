package io.lxcautoscale.sim.pveapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import java.util.Map;
import java.util.Optional;

/**
 * One answer of the simulated API in Proxmox's shape: success {@code {"data": ...}}; errors
 * {@code {"data":null,"message":"<text>\n"}} (plus {@code errors} per field for 400) with the first line of the
 * message as reason phrase; 401 and 595 have no body and carry their text only in the reason phrase.
 *
 * @param reason the reason phrase Proxmox would send (the JDK's HTTP server writes its own; see docs/simulator.md)
 */
public record SimPveResponse(int status, String reason, Optional<String> body) {
    public static SimPveResponse ok(JsonNode data) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.set("data", data);
        return new SimPveResponse(200, "OK", Optional.of(envelope.toString()));
    }

    public static SimPveResponse error(int status, String message) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.putNull("data");
        envelope.put("message", message + "\n");
        return new SimPveResponse(status, message.lines().findFirst().orElse(""), Optional.of(envelope.toString()));
    }

    public static SimPveResponse parameterErrors(Map<String, String> errors) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.putNull("data");
        ObjectNode fields = envelope.putObject("errors");
        errors.forEach(fields::put);
        envelope.put("message", "Parameter verification failed.\n");
        return new SimPveResponse(400, "Parameter verification failed.", Optional.of(envelope.toString()));
    }

    /** An answer without body, e.g. 401 {@code Authentication failed!} or 595 {@code No route to host}. */
    public static SimPveResponse empty(int status, String reason) {
        return new SimPveResponse(status, reason, Optional.empty());
    }
}
