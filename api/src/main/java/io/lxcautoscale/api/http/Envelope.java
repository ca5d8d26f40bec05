package io.lxcautoscale.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.lxcautoscale.common.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes answers: {@code {status:"success", message, data}} for a result, {@code {status:"error", message, errors}}
 * for a failure, or the route's raw body.
 */
final class Envelope {
    private Envelope() {
    }

    static void writeResult(Context http, ApiResult result) {
        if (result.isRaw()) {
            http.status(result.httpStatus()).contentType(result.rawContentType()).result(result.rawBody());
            return;
        }
        if (result.isBareJson()) {
            writeJson(http, result.httpStatus(), result.data());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "success");
        body.put("message", result.message());
        body.put("data", result.data());
        writeJson(http, result.httpStatus(), body);
    }

    static Map<String, Object> error(String message, List<String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }

    static void writeJson(Context http, int status, Object body) {
        String text;
        try {
            text = Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"status\":\"error\",\"message\":\"response encoding failed\"}";
        }
        http.status(status).contentType("application/json").result(text);
    }
}
