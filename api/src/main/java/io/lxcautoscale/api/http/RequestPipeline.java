package io.lxcautoscale.api.http;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import io.lxcautoscale.api.audit.AuditLog;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.api.security.ApiKeys;
import io.lxcautoscale.api.security.ClientAddress;
import io.lxcautoscale.api.security.RateLimiter;
import io.lxcautoscale.common.config.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request goes through, installed into Javalin's config: the routes grouped by their first path
 * segment, a before-matched step that applies the route's roles (rate limit unless {@link ApiRole#UNMETERED},
 * API key unless {@link ApiRole#OPEN}), the route's handler on its read input, exception handlers that write the
 * error envelope, and an after-matched step that records metrics, the access log and the audit log.
 */
public final class RequestPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.lxcautoscale.api.access");
    private static final String EXCHANGE = "lxcautoscale.exchange";

    /**
     * Carries the route itself among the endpoint's roles: Javalin hands a before-matched handler the matched
     * endpoint's roles but not the endpoint, and a refused request is still logged and audited under its route.
     */
    private record RouteRef(RouteDef route) implements RouteRole {
    }

    private final ApiConfig config;
    private final List<RouteDef> routes;
    private final Set<String> openPaths;
    private final Supplier<ApiKeys> keys;
    private final AuditLog audit;
    private final ApiMetrics metrics;
    private final ClientAddress clientAddress;
    private final RateLimiter limiter;
    private final RequestInput input;

    /**
     * @param keys the API keys of this moment, asked on every request (they may be replaced while the server runs)
     * @throws ConfigException naming {@code configFile} when {@code authentication.open_routes} is not allowed
     */
    public RequestPipeline(ApiConfig config, String configFile, List<RouteDef> routes, Supplier<ApiKeys> keys, AuditLog audit,
                           ApiMetrics metrics) {
        this.config = config;
        this.routes = List.copyOf(routes);
        this.openPaths = openPaths(this.routes, config.authentication().openRoutes(), configFile);
        this.keys = keys;
        this.audit = audit;
        this.metrics = metrics;
        this.clientAddress = new ClientAddress(config.rateLimiting().trustedProxies());
        this.limiter = config.rateLimiting().enabled()
                ? new RateLimiter(config.rateLimiting().maxRequests(), config.rateLimiting().windowSeconds(), config.rateLimiting().maxClients())
                : null;
        this.input = new RequestInput(config.server().maxBodyBytes());
    }

    /**
     * The paths of {@code authentication.open_routes}, checked against the routes: each must be a route of this API
     * and none may change a container (every problem is listed).
     *
     * @throws ConfigException naming the file, the key and the reason
     */
    static Set<String> openPaths(List<RouteDef> routes, List<String> configured, String configFile) {
        Set<String> known = new TreeSet<>();
        routes.forEach(r -> known.add(r.path()));
        List<String> problems = new ArrayList<>();
        Set<String> open = new LinkedHashSet<>();
        for (String path : configured) {
            List<RouteDef> matching = routes.stream().filter(r -> r.path().equals(path)).toList();
            if (matching.isEmpty()) {
                problems.add(configFile + ": authentication.open_routes: '" + path + "' is not a route of this API; routes: "
                        + String.join(", ", known));
                continue;
            }
            for (RouteDef r : matching) {
                if (r.mutating()) {
                    problems.add(configFile + ": authentication.open_routes: '" + path + "' changes containers (" + r.method() + " "
                            + path + ") and always needs an API key; only read-only routes can be open");
                }
            }
            open.add(path);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(configFile, problems);
        }
        return Set.copyOf(open);
    }

    /** The roles of {@code route}: what the before-matched step lets it skip. */
    Set<ApiRole> roles(RouteDef route) {
        Set<ApiRole> roles = new HashSet<>();
        if (openPaths.contains(route.path())) {
            roles.add(ApiRole.OPEN);
        }
        if (route.unmetered()) {
            roles.add(ApiRole.UNMETERED);
        }
        return roles;
    }

    /** Adds the routes, the before- and after-matched steps and the exception and error handlers to {@code cfg}. */
    public void install(JavalinConfig cfg) {
        cfg.routes.beforeMatched(this::admit);
        cfg.routes.apiBuilder(() -> {
            Map<String, List<RouteDef>> groups = new LinkedHashMap<>();
            for (RouteDef route : routes) {
                String rest = route.path().substring(1);
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    endpoint(route, route.path());
                } else {
                    groups.computeIfAbsent(route.path().substring(0, slash + 1), g -> new ArrayList<>()).add(route);
                }
            }
            groups.forEach((prefix, members) -> path(prefix, () -> members.forEach(r -> endpoint(r, r.path().substring(prefix.length())))));
        });
        cfg.routes.exception(ApiError.class, this::refused);
        cfg.routes.exception(Exception.class, this::failed);
        cfg.routes.afterMatched(this::account);
        cfg.routes.error(404, "*", http -> {
            // our own 404s (missing container, snapshot) carry their body already
            if (http.attribute(EXCHANGE) == null) {
                UnreadBody.discard(http);
                Envelope.writeJson(http, 404, Envelope.error("Not found: " + http.method().name() + " " + http.path(), List.of()));
            }
        });
        cfg.routes.error(405, "*", http -> {
            if (http.attribute(EXCHANGE) == null) {
                UnreadBody.discard(http);
                Envelope.writeJson(http, 405, Envelope.error("Method " + http.method().name() + " is not allowed on " + http.path(), List.of()));
            }
        });
    }

    private void endpoint(RouteDef route, String subPath) {
        Set<ApiRole> apiRoles = roles(route);
        RouteRole[] roles = new RouteRole[apiRoles.size() + 1];
        roles[0] = new RouteRef(route);
        int i = 1;
        for (ApiRole role : apiRoles) {
            roles[i++] = role;
        }
        Handler handler = http -> serve(route, http);
        switch (route.method()) {
            case "GET" -> get(subPath, handler, roles);
            case "POST" -> post(subPath, handler, roles);
            case "DELETE" -> delete(subPath, handler, roles);
            default -> throw new IllegalStateException("unsupported method " + route.method());
        }
    }

    /** Before the matched route: who is asking, their rate limit and their key. */
    private void admit(Context http) {
        long start = System.nanoTime();
        Set<RouteRole> roles = http.routeRoles();
        RouteDef route = roles.stream().filter(RouteRef.class::isInstance).map(r -> ((RouteRef) r).route()).findFirst()
                .orElseThrow(() -> new IllegalStateException("a route registered without its RouteRef: " + http.path()));
        Exchange exchange = new Exchange(route, start, clientAddress.resolve(http.req().getRemoteAddr(), http.header("X-Forwarded-For")));
        http.attribute(EXCHANGE, exchange);
        String presented = presentedKey(http);
        if (presented != null) {
            // with authentication off a known key is still recognised: it exempts the model from the rate limit
            ApiKeys.KeyId match = keys.get().match(presented);
            exchange.keyId(match == null ? null : match.id());
        }
        if (!roles.contains(ApiRole.UNMETERED)) {
            rateLimit(http, exchange);
        }
        if (config.authentication().enabled() && !roles.contains(ApiRole.OPEN)) {
            if (presented == null) {
                throw new ApiError(401, "Missing API key. Provide it in the X-API-Key header or as Authorization: Bearer <key>.");
            }
            if (exchange.keyId() == null) {
                throw new ApiError(403, "Invalid API key");
            }
        }
    }

    private void rateLimit(Context http, Exchange exchange) {
        if (limiter == null || (exchange.keyId() != null && config.rateLimiting().exemptAuthenticated())) {
            return;
        }
        RateLimiter.Decision d = limiter.acquire(exchange.client(), System.currentTimeMillis());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", Integer.toString(d.limit()));
        headers.put("X-RateLimit-Remaining", Integer.toString(d.remaining()));
        headers.put("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
        if (!d.allowed()) {
            headers.put("Retry-After", Integer.toString(d.retryAfterSeconds()));
            throw new ApiError(429, "Rate limit exceeded. Please try again later.", List.of(), headers);
        }
        headers.forEach(http::header);
    }

    private static String presentedKey(Context http) {
        String key = http.header("X-API-Key");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        String authorization = http.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /** The matched route's own work: read the input, run the handler, write the answer. */
    private void serve(RouteDef route, Context http) throws Exception {
        Exchange exchange = exchange(http);
        ApiCall call = input.read(route, http, exchange);
        exchange.params(RequestInput.audited(call.input()));
        ApiResult result = route.handler().handle(call);
        exchange.message(result.message());
        // lets a client (and the benchmark) split its latency into time inside pct, time inside this
        // server, and the rest (network, queueing)
        http.header("Server-Timing", "pct;dur=" + (exchange.toolNanos() / 1e6)
                + ", app;dur=" + ((System.nanoTime() - exchange.startNanos()) / 1e6));
        Envelope.writeResult(http, result);
    }

    private void refused(ApiError e, Context http) {
        Exchange exchange = http.attribute(EXCHANGE);
        if (exchange != null) {
            exchange.message(e.getMessage());
        }
        e.headers().forEach(http::header);
        Map<String, Object> body = Envelope.error(e.getMessage(), e.errors());
        if (e.httpStatus() == 429) {
            // the original's keys, kept for clients that read them
            body.put("error", e.getMessage());
            body.put("retry_after_seconds", Integer.parseInt(e.headers().getOrDefault("Retry-After", "1")));
            body.put("limit", Integer.parseInt(e.headers().getOrDefault("X-RateLimit-Limit", "0")));
            body.put("window_seconds", config.rateLimiting().windowSeconds());
        }
        Envelope.writeJson(http, e.httpStatus(), body);
    }

    private void failed(Exception e, Context http) {
        Exchange exchange = http.attribute(EXCHANGE);
        if (exchange != null) {
            exchange.message(e.toString());
        }
        LOG.error("unexpected error in {} {}: {}", http.method().name(), http.path(), e.toString(), e);
        Map<String, Object> body = Envelope.error(config.showStackTraces() ? e.toString()
                : "An internal error occurred. Please contact support if the issue persists.", List.of());
        if (config.showStackTraces()) {
            List<String> trace = new ArrayList<>();
            for (StackTraceElement el : e.getStackTrace()) {
                trace.add(el.toString());
            }
            body.put("stack_trace", trace);
        }
        Envelope.writeJson(http, 500, body);
    }

    /** After the matched route, whatever happened: the rest of the body, metrics, access log, audit log. */
    private void account(Context http) {
        Exchange exchange = http.attribute(EXCHANGE);
        if (exchange == null) {
            return;
        }
        UnreadBody.discard(http);
        RouteDef route = exchange.route();
        int status = http.statusCode();
        long nanos = System.nanoTime() - exchange.startNanos();
        metrics.request(route.method(), route.path(), status, nanos / 1e9);
        String keyId = exchange.keyId();
        if (config.accessLog()) {
            // path only: no query string, no headers, so neither keys nor parameters reach the access log
            ACCESS.info("{} {} {} {} {}ms key={}", exchange.client(), route.method(), route.path(), status, nanos / 1_000_000,
                    keyId == null ? "-" : keyId);
        }
        if (route.mutating()) {
            audit.record(new AuditLog.Entry(Instant.now(), exchange.client(), keyId, route.method(), route.path(), exchange.params(),
                    status, status < 400 ? "success" : "error", exchange.message(), nanos / 1_000_000));
        }
    }

    private static Exchange exchange(Context http) {
        Exchange exchange = http.attribute(EXCHANGE);
        if (exchange == null) {
            throw new IllegalStateException("no exchange: the before-matched step did not run for " + http.path());
        }
        return exchange;
    }
}
