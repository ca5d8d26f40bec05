package io.lxcautoscale.api.http;

import java.util.List;

/**
 * One route of the API with what the pipeline, the index page, {@code /routes} and {@code /openapi.json}
 * need to know about it.
 *
 * @param method      GET, POST or DELETE
 * @param path        the URL path
 * @param summary     one line for humans
 * @param fields      the accepted input fields (query parameters for GET, body fields otherwise)
 * @param mutating    true when it changes a container (audited, body-only input)
 * @param deprecated  true for the old {@code /resource/vm/*} aliases
 * @param example     an example input as JSON text (body) or query string, "" for none
 * @param handler     the work
 * @param unmetered   true when the route is never rate limited ({@link ApiRole#UNMETERED})
 */
public record RouteDef(String method, String path, String summary, List<FieldDef> fields, boolean mutating, boolean deprecated,
                       String example, RouteHandler handler, boolean unmetered) {
    public RouteDef {
        fields = List.copyOf(fields);
    }

    /** A rate-limited route. */
    public RouteDef(String method, String path, String summary, List<FieldDef> fields, boolean mutating, boolean deprecated,
                    String example, RouteHandler handler) {
        this(method, path, summary, fields, mutating, deprecated, example, handler, false);
    }

    /** This route, never rate limited. */
    public RouteDef unmeteredRoute() {
        return new RouteDef(method, path, summary, fields, mutating, deprecated, example, handler, true);
    }

    /** One documented input field: canonical name, aliases, JSON type, whether required, and its rule. */
    public record FieldDef(String name, List<String> aliases, String type, boolean required, String description) {
        public FieldDef {
            aliases = List.copyOf(aliases);
        }
    }
}
