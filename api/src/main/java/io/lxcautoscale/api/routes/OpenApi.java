package io.lxcautoscale.api.routes;

import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.http.RouteDef.FieldDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the OpenAPI 3 document from the same route definitions the server registers. */
final class OpenApi {
    private static final Map<String, String> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put("400", "validation failed: errors[] lists every field error");
        ERRORS.put("401", "API key missing");
        ERRORS.put("403", "API key wrong");
        ERRORS.put("404", "container or snapshot does not exist");
        ERRORS.put("409", "container locked, another operation on it running, or the request is unsafe (memory floor)");
        ERRORS.put("413", "body too large");
        ERRORS.put("415", "body is not application/json");
        ERRORS.put("429", "rate limited; see Retry-After");
        ERRORS.put("502", "pct/pvesh failed; message carries its exit code and stderr");
        ERRORS.put("504", "pct/pvesh timed out");
    }

    private OpenApi() {
    }

    static Map<String, Object> document(List<RouteDef> routes, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "LXC AutoScale ML API", "version", version));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (RouteDef r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<String, Object>());
            item.put(r.method().toLowerCase(Locale.ROOT), operation(r));
        }
        doc.put("paths", paths);
        Map<String, Object> schemes = new LinkedHashMap<>();
        schemes.put("ApiKey", Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"));
        schemes.put("Bearer", Map.of("type", "http", "scheme", "bearer"));
        doc.put("components", Map.of("securitySchemes", schemes));
        doc.put("security", List.of(Map.of("ApiKey", List.of()), Map.of("Bearer", List.of())));
        return doc;
    }

    private static Map<String, Object> operation(RouteDef r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", r.summary());
        op.put("operationId", r.method().toLowerCase(Locale.ROOT) + r.path().replaceAll("[^a-zA-Z0-9]+", "_"));
        if (r.deprecated()) {
            op.put("deprecated", true);
        }
        if (r.method().equals("GET")) {
            List<Map<String, Object>> params = new ArrayList<>();
            for (FieldDef f : r.fields()) {
                params.add(Map.of("name", f.name(), "in", "query", "required", f.required(), "description", describe(f),
                        "schema", Map.of("type", f.type())));
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
        } else {
            Map<String, Object> properties = new LinkedHashMap<>();
            List<String> required = new ArrayList<>();
            for (FieldDef f : r.fields()) {
                properties.put(f.name(), Map.of("type", f.type(), "description", describe(f)));
                for (String alias : f.aliases()) {
                    properties.put(alias, Map.of("type", f.type(), "description", "alias of " + f.name()));
                }
                if (f.required()) {
                    required.add(f.name());
                }
            }
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "object");
            schema.put("properties", properties);
            schema.put("required", required);
            schema.put("additionalProperties", false);
            op.put("requestBody", Map.of("required", true, "content", Map.of("application/json", Map.of("schema", schema))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "success: {status: success, message, data}"));
        for (Map.Entry<String, String> e : ERRORS.entrySet()) {
            responses.put(e.getKey(), Map.of("description", e.getValue()));
        }
        op.put("responses", responses);
        return op;
    }

    private static String describe(FieldDef f) {
        return f.description() + (f.aliases().isEmpty() ? "" : " (aliases: " + String.join(", ", f.aliases()) + ")");
    }
}
