package io.lxcautoscale.api.routes;

import static io.lxcautoscale.api.routes.ScaleRoutes.data;

import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.http.RouteDef.FieldDef;
import io.lxcautoscale.common.cli.DaemonCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** {@code /}, {@code /health/check}, {@code /metrics}, {@code /routes} and {@code /openapi.json}. */
public final class SystemRoutes {
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(5);

    private final RouteContext ctx;
    private final Supplier<List<RouteDef>> allRoutes;
    private volatile ApiResult healthCached;
    private volatile long healthCachedAtNanos;

    private final IntSupplier port;

    public SystemRoutes(RouteContext ctx, Supplier<List<RouteDef>> allRoutes, IntSupplier port) {
        this.ctx = ctx;
        this.port = port;
        this.allRoutes = allRoutes;
    }

    public List<RouteDef> routes() {
        return List.of(
                new RouteDef("GET", "/", "This page: the routes with example curl lines", List.of(), false, false, "", this::index).unmeteredRoute(),
                new RouteDef("GET", "/health/check", "Real checks (pct answers, config directory readable), cached 5 s; 503 when unhealthy",
                        List.of(), false, false, "", this::health),
                new RouteDef("GET", "/metrics", "Prometheus metrics (text format)", List.of(), false, false, "", this::metrics).unmeteredRoute(),
                new RouteDef("GET", "/routes", "The registered routes", List.of(), false, false, "", this::routesList),
                new RouteDef("GET", "/openapi.json", "OpenAPI 3 description of this API", List.of(), false, false, "", this::openapi));
    }

    private ApiResult health(ApiCall call) {
        call.fields().finish();
        ApiResult cached = healthCached;
        if (cached != null && System.nanoTime() - healthCachedAtNanos < HEALTH_CACHE.toNanos()) {
            return cached;
        }
        synchronized (this) {
            if (healthCached != null && System.nanoTime() - healthCachedAtNanos < HEALTH_CACHE.toNanos()) {
                return healthCached;
            }
            Map<String, Object> checks = ctx.backend().healthChecks(call);
            boolean healthy = checks.values().stream().allMatch(c -> Boolean.TRUE.equals(((Map<?, ?>) c).get("ok")));
            ApiResult result = ApiResult.json(healthy ? 200 : 503,
                    data("status", healthy ? "healthy" : "unhealthy", "checked_at", Instant.now().toString(), "checks", checks));
            healthCached = result;
            healthCachedAtNanos = System.nanoTime();
            return result;
        }
    }

    private ApiResult metrics(ApiCall call) {
        call.fields().finish();
        return ApiResult.raw(200, ctx.metrics().contentType(), ctx.metrics().scrape());
    }

    private ApiResult routesList(ApiCall call) {
        call.fields().finish();
        List<Map<String, Object>> out = new ArrayList<>();
        for (RouteDef r : allRoutes.get()) {
            out.add(data("endpoint", r.path(), "methods", r.method(), "url", r.path(), "summary", r.summary(),
                    "deprecated", r.deprecated()));
        }
        return ApiResult.json(200, out);
    }

    private ApiResult openapi(ApiCall call) {
        call.fields().finish();
        return ApiResult.json(200, OpenApi.document(allRoutes.get(), DaemonCommand.version()));
    }

    private ApiResult index(ApiCall call) {
        call.fields().finish();
        String base = "http://" + ctx.config().server().host() + ":" + port.getAsInt();
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>LXC AutoScale API</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;")
                .append("padding:4px 8px;vertical-align:top}code{font-size:90%}</style></head><body>\n")
                .append("<h1>LXC AutoScale API</h1>\n<p>Send the API key as <code>X-API-Key</code> or <code>Authorization: Bearer</code>. ")
                .append("Responses are <code>{\"status\",\"message\",\"data\"}</code>. Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>.</p>\n")
                .append("<p>The <a href=\"/ui\">status page</a> shows the containers, their usage, allocation and the autoscaler's decisions.</p>\n")
                .append("<table><tr><th>Method</th><th>Path</th><th>What it does</th><th>Example</th></tr>\n");
        for (RouteDef r : allRoutes.get()) {
            html.append("<tr><td>").append(r.method()).append("</td><td><code>").append(esc(r.path())).append("</code>")
                    .append(r.deprecated() ? " (deprecated)" : "").append("</td><td>").append(esc(r.summary()));
            for (FieldDef f : r.fields()) {
                html.append("<br><code>").append(esc(f.name())).append("</code> ").append(f.type())
                        .append(f.required() ? ", required: " : ", optional: ").append(esc(f.description()));
            }
            html.append("</td><td><code>").append(esc(curl(base, r))).append("</code></td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        return ApiResult.raw(200, "text/html; charset=utf-8", html.toString());
    }

    static String curl(String base, RouteDef r) {
        boolean open = List.of("/", "/health/check", "/metrics").contains(r.path());
        String key = open ? "" : " -H \"X-API-Key: $KEY\"";
        if (r.method().equals("GET")) {
            return "curl -s" + key + " '" + base + r.path() + (r.example().isEmpty() ? "" : "?" + r.example()) + "'";
        }
        return "curl -s -X " + r.method() + key + " -H 'Content-Type: application/json' -d '" + r.example() + "' " + base + r.path();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
