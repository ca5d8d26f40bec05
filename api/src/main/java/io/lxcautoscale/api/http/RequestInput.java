package io.lxcautoscale.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request's input: GET reads the query string only; every other method reads a JSON object body only,
 * at most {@code server.max_body_bytes}. Bad input is an {@link ApiError} (400, 413, 415) listing every problem.
 */
final class RequestInput {
    private final int maxBodyBytes;

    RequestInput(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    ApiCall read(RouteDef route, Context http, Exchange exchange) throws IOException {
        Map<String, JsonNode> input = new LinkedHashMap<>();
        if (route.method().equals("GET")) {
            List<String> errors = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : http.queryParamMap().entrySet()) {
                if (e.getValue().size() != 1) {
                    errors.add("Parameter " + e.getKey() + " given " + e.getValue().size() + " times");
                } else {
                    input.put(e.getKey(), TextNode.valueOf(e.getValue().get(0)));
                }
            }
            if (!errors.isEmpty()) {
                throw ApiError.validation(errors);
            }
            return new ApiCall(input, true, exchange);
        }
        String query = http.queryString();
        if (query != null && !query.isEmpty()) {
            // a query string on a mutating call is how a cross-site form or link would reach us
            throw ApiError.validation(List.of("Parameters of " + route.method() + " " + route.path()
                    + " must be sent in a JSON body, not in the query string"));
        }
        String contentType = http.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?")) {
            throw new ApiError(415, "Content-Type must be application/json, got " + (contentType == null ? "none" : contentType));
        }
        long declared = http.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw new ApiError(413, "Body too large: " + declared + " bytes, at most " + maxBodyBytes);
        }
        // what is left unread past the limit is discarded after the answer is ready (UnreadBody)
        byte[] body = http.req().getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw new ApiError(413, "Body too large: more than " + maxBodyBytes + " bytes");
        }
        if (body.length == 0) {
            throw ApiError.validation(List.of("A JSON object body is required"));
        }
        JsonNode tree;
        try {
            tree = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.validation(List.of("The body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw ApiError.validation(List.of("The body must be a JSON object"));
        }
        tree.fields().forEachRemaining(e -> input.put(e.getKey(), e.getValue()));
        return new ApiCall(input, false, exchange);
    }

    /** The input as the audit log records it: keys cut at 64 characters, long text values at 256. */
    static Map<String, Object> audited(Map<String, JsonNode> input) {
        Map<String, Object> out = new LinkedHashMap<>();
        input.forEach((k, v) -> out.put(k.length() > 64 ? k.substring(0, 64) : k, v.isTextual() && v.textValue().length() > 256
                ? v.textValue().substring(0, 256) + "…" : v));
        return out;
    }
}
