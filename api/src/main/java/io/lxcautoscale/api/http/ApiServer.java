package io.lxcautoscale.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.lxcautoscale.api.audit.AuditLog;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.containers.ContainerDirectory;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.containers.MemoryUsage;
import io.lxcautoscale.api.containers.NodeName;
import io.lxcautoscale.api.containers.ProxmoxGateway;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.api.routes.CloneRoutes;
import io.lxcautoscale.api.routes.ResourceRoutes;
import io.lxcautoscale.api.routes.RouteContext;
import io.lxcautoscale.api.routes.ScaleRoutes;
import io.lxcautoscale.api.routes.SnapshotRoutes;
import io.lxcautoscale.api.routes.SystemRoutes;
import io.lxcautoscale.api.security.ApiKeys;
import io.lxcautoscale.api.security.ClientAddress;
import io.lxcautoscale.api.security.RateLimiter;
import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.proxmox.CommandRunner;
import io.lxcautoscale.common.proxmox.ProxmoxTools;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: registers every route and runs each request through one pipeline — rate limit, API key,
 * input reading, the route's handler, the envelope — recording metrics, the access log and the audit log.
 */
public final class ApiServer implements Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String HANDLED = "lxcautoscale.handled";
    private static final Logger ACCESS = LoggerFactory.getLogger("io.lxcautoscale.api.access");

    /** One endpoint as the HTTP server registered it. */
    public record Registered(String method, String path) {
    }

    private final ApiConfig config;
    private final ApiKeys keys;
    private final AuditLog audit;
    private final ApiMetrics metrics = new ApiMetrics();
    private final ClientAddress clientAddress;
    private final RateLimiter limiter;
    private final Set<String> openRoutes;
    private final List<RouteDef> routes;
    private final List<Registered> registered = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final ProxmoxGateway proxmox;
    private volatile Javalin app;

    private ApiServer(ApiConfig config, ApiKeys keys, AuditLog audit) {
        this.config = config;
        this.keys = keys;
        this.audit = audit;
        this.clientAddress = new ClientAddress(config.rateLimiting().trustedProxies());
        this.limiter = config.rateLimiting().enabled()
                ? new RateLimiter(config.rateLimiting().maxRequests(), config.rateLimiting().windowSeconds(), config.rateLimiting().maxClients())
                : null;
        this.openRoutes = Set.copyOf(config.authentication().openRoutes());
        ApiConfig.Lxc lxc = config.lxc();
        this.proxmox = new ProxmoxGateway(new CommandRunner(), new ProxmoxTools(lxc.pctPath(), lxc.pveshPath(), lxc.timeout()),
                lxc.longTimeout(), metrics);
        RouteContext ctx = new RouteContext(config, NodeName.resolve(lxc.node()), proxmox, new ContainerDirectory(lxc.configDir()),
                new ContainerLocks(lxc.lockWait()), new MemoryUsage(lxc.cgroupRoot()), metrics);
        List<RouteDef> all = new ArrayList<>();
        SystemRoutes system = new SystemRoutes(ctx, this::routes, this::port);
        all.addAll(system.routes());
        all.addAll(new ScaleRoutes(ctx).routes());
        all.addAll(new SnapshotRoutes(ctx).routes());
        all.addAll(new CloneRoutes(ctx).routes());
        all.addAll(new ResourceRoutes(ctx).routes());
        this.routes = List.copyOf(all);
    }

    /**
     * Checks the safety rules that need more than one key, loads the API keys and opens the audit log.
     *
     * @throws ConfigException naming the key when the server would be unsafe or cannot start
     */
    public static ApiServer create(ApiConfig config, String configFile) {
        ApiConfig.Authentication auth = config.authentication();
        if (!auth.enabled() && !ApiConfig.isLoopback(config.server().host()) && !auth.allowUnauthenticatedRemote()) {
            throw new ConfigException(configFile, List.of(configFile + ": authentication.enabled is false but server.host is "
                    + config.server().host() + " (not loopback); anyone on the network could resize or destroy containers. "
                    + "Enable authentication, listen on 127.0.0.1, or set authentication.allow_unauthenticated_remote: true"));
        }
        ApiKeys keys = ApiKeys.forServer(auth.enabled(), auth.apiKeys(), auth.apiKeyFile(), configFile);
        AuditLog audit;
        if (config.audit().enabled()) {
            try {
                audit = AuditLog.open(config.audit().logFile());
            } catch (IOException e) {
                throw new ConfigException(configFile, List.of(configFile + ": audit.log_file " + config.audit().logFile()
                        + " cannot be opened for appending: " + e));
            }
        } else {
            audit = AuditLog.disabled();
        }
        return new ApiServer(config, keys, audit);
    }

    /** The keys this server accepts; a reload replaces their contents. */
    public ApiKeys keys() {
        return keys;
    }

    public List<RouteDef> routes() {
        return routes;
    }

    /** The endpoints Javalin reports as registered (the OpenAPI test compares them with the document). */
    public List<Registered> registered() {
        synchronized (registered) {
            return List.copyOf(registered);
        }
    }

    /** The bound port once started, else the configured one. */
    public int port() {
        Javalin running = app;
        return running == null ? config.server().port() : running.port();
    }

    public ApiMetrics metrics() {
        return metrics;
    }

    /** Starts listening; returns the bound port (useful with port 0 in tests). */
    public synchronized int start() {
        QueuedThreadPool pool = new QueuedThreadPool(config.server().maxThreads(), 8, 60_000);
        pool.setName("api-http");
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            // the pipeline reads the body itself with its own limit; keep Javalin's above it
            cfg.http.maxRequestSize = Math.max(1_000_000L, config.server().maxBodyBytes() * 2L);
            cfg.jetty.threadPool = pool;
            cfg.events.handlerAdded(meta -> registered.add(new Registered(meta.getHttpMethod().name(), meta.getPath())));
            for (RouteDef route : routes) {
                switch (route.method()) {
                    case "GET" -> cfg.routes.get(route.path(), http -> handle(route, http));
                    case "POST" -> cfg.routes.post(route.path(), http -> handle(route, http));
                    case "DELETE" -> cfg.routes.delete(route.path(), http -> handle(route, http));
                    default -> throw new IllegalStateException("unsupported method " + route.method());
                }
            }
            cfg.routes.error(404, "*", http -> {
                // our own 404s (missing container, snapshot) carry their body already
                if (http.attribute(HANDLED) == null) {
                    UnreadBody.discard(http);
                    writeJson(http, 404, errorBody("Not found: " + http.method().name() + " " + http.path(), List.of()));
                }
            });
            cfg.routes.error(405, "*", http -> {
                UnreadBody.discard(http);
                writeJson(http, 405, errorBody("Method " + http.method().name() + " is not allowed on " + http.path(), List.of()));
            });
        });
        try {
            app.start(config.server().host(), config.server().port());
        } catch (RuntimeException e) {
            if (causedByBind(e)) {
                throw new IllegalStateException("cannot listen on " + config.server().host() + ":" + config.server().port()
                        + ": the address is already in use — is another lxc_autoscale_api (or the original Python"
                        + " API, also on port 5000) still running? Stop it, or set server.port", e);
            }
            throw e;
        }
        LOG.info("listening on {}:{} (authentication {}, {} keys, rate limiting {})", config.server().host(), app.port(),
                config.authentication().enabled() ? "on" : "OFF", keys.size(), limiter == null ? "off" : "on");
        return app.port();
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int run() throws Exception {
        start();
        stopRequested.await();
        close();
        return ExitCodes.OK;
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }

    /** Stops the HTTP server and closes the audit log. */
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
        try {
            audit.close();
        } catch (IOException e) {
            LOG.warn("closing the audit log: {}", e.getMessage());
        }
    }

    private void handle(RouteDef route, Context http) {
        long start = System.nanoTime();
        http.attribute(HANDLED, Boolean.TRUE);
        String client = clientAddress.resolve(http.req().getRemoteAddr(), http.header("X-Forwarded-For"));
        String keyId = null;
        int status;
        String message;
        Map<String, Object> params = Map.of();
        ProxmoxGateway.resetCallTime();
        try {
            String presented = presentedKey(http);
            if (presented != null) {
                // with authentication off a known key is still recognised: it exempts the model from the rate limit
                ApiKeys.KeyId match = keys.match(presented);
                keyId = match == null ? null : match.id();
            }
            rateLimit(route, http, client, keyId != null);
            if (config.authentication().enabled() && !openRoutes.contains(route.path())) {
                if (presented == null) {
                    throw new ApiError(401, "Missing API key. Provide it in the X-API-Key header or as Authorization: Bearer <key>.");
                }
                if (keyId == null) {
                    throw new ApiError(403, "Invalid API key");
                }
            }
            ApiCall call = readInput(route, http, client, keyId);
            params = plain(call.input());
            ApiResult result = route.handler().handle(call);
            status = result.httpStatus();
            message = result.message();
            write(http, result, start);
        } catch (ApiError e) {
            status = e.httpStatus();
            message = e.getMessage();
            e.headers().forEach(http::header);
            writeJson(http, status, errorFor(e));
        } catch (Exception e) {
            status = 500;
            message = e.toString();
            LOG.error("unexpected error in {} {}: {}", route.method(), route.path(), e.toString(), e);
            Map<String, Object> body = errorBody(config.showStackTraces() ? e.toString()
                    : "An internal error occurred. Please contact support if the issue persists.", List.of());
            if (config.showStackTraces()) {
                List<String> trace = new ArrayList<>();
                for (StackTraceElement el : e.getStackTrace()) {
                    trace.add(el.toString());
                }
                body.put("stack_trace", trace);
            }
            writeJson(http, 500, body);
        }
        UnreadBody.discard(http);
        long nanos = System.nanoTime() - start;
        metrics.request(route.method(), route.path(), status, nanos / 1e9);
        if (config.accessLog()) {
            // path only: no query string, no headers, so neither keys nor parameters reach the access log
            ACCESS.info("{} {} {} {} {}ms key={}", client, route.method(), route.path(), status, nanos / 1_000_000, keyId == null ? "-" : keyId);
        }
        if (route.mutating()) {
            audit.record(new AuditLog.Entry(Instant.now(), client, keyId, route.method(), route.path(), params, status,
                    status < 400 ? "success" : "error", message, nanos / 1_000_000));
        }
    }

    private void rateLimit(RouteDef route, Context http, String client, boolean authenticated) {
        if (limiter == null || route.path().equals("/") || route.path().equals("/metrics")
                || (authenticated && config.rateLimiting().exemptAuthenticated())) {
            return;
        }
        RateLimiter.Decision d = limiter.acquire(client, System.currentTimeMillis());
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

    /** GET reads the query string only; every other method reads the JSON object body only. */
    private ApiCall readInput(RouteDef route, Context http, String client, String keyId) throws IOException {
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
            return new ApiCall(input, true, client, keyId);
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
        int max = config.server().maxBodyBytes();
        long declared = http.req().getContentLengthLong();
        if (declared > max) {
            throw new ApiError(413, "Body too large: " + declared + " bytes, at most " + max);
        }
        // what is left unread past the limit is discarded after the answer is ready (UnreadBody)
        byte[] body = http.req().getInputStream().readNBytes(max + 1);
        if (body.length > max) {
            throw new ApiError(413, "Body too large: more than " + max + " bytes");
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
        return new ApiCall(input, false, client, keyId);
    }

    private void write(Context http, ApiResult result, long startNanos) {
        // lets a client (and the benchmark) split its latency into time inside pct, time inside this
        // server, and the rest (network, queueing)
        http.header("Server-Timing", "pct;dur=" + (ProxmoxGateway.callTimeNanos() / 1e6)
                + ", app;dur=" + ((System.nanoTime() - startNanos) / 1e6));
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

    private Map<String, Object> errorFor(ApiError e) {
        Map<String, Object> body = errorBody(e.getMessage(), e.errors());
        if (e.httpStatus() == 429) {
            // the original's keys, kept for clients that read them
            body.put("error", e.getMessage());
            body.put("retry_after_seconds", Integer.parseInt(e.headers().getOrDefault("Retry-After", "1")));
            body.put("limit", Integer.parseInt(e.headers().getOrDefault("X-RateLimit-Limit", "0")));
            body.put("window_seconds", config.rateLimiting().windowSeconds());
        }
        return body;
    }

    private static Map<String, Object> errorBody(String message, List<String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }

    private static void writeJson(Context http, int status, Object body) {
        String text;
        try {
            text = Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"status\":\"error\",\"message\":\"response encoding failed\"}";
        }
        http.status(status).contentType("application/json").result(text);
    }

    private static Map<String, Object> plain(Map<String, JsonNode> input) {
        Map<String, Object> out = new LinkedHashMap<>();
        input.forEach((k, v) -> out.put(k.length() > 64 ? k.substring(0, 64) : k, v.isTextual() && v.textValue().length() > 256
                ? v.textValue().substring(0, 256) + "…" : v));
        return out;
    }
}
