package io.lxcautoscale.api.http;

import io.javalin.Javalin;
import io.lxcautoscale.api.audit.AuditLog;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.containers.ContainerBackend;
import io.lxcautoscale.api.containers.ContainerDirectory;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.containers.MemoryUsage;
import io.lxcautoscale.api.containers.PctBackend;
import io.lxcautoscale.api.containers.ProxmoxGateway;
import io.lxcautoscale.api.containers.PveApiBackend;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.api.routes.CloneRoutes;
import io.lxcautoscale.api.routes.ResourceRoutes;
import io.lxcautoscale.api.routes.RouteContext;
import io.lxcautoscale.api.routes.ScaleRoutes;
import io.lxcautoscale.api.routes.SnapshotRoutes;
import io.lxcautoscale.api.routes.SystemRoutes;
import io.lxcautoscale.api.security.ApiKeys;
import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.proxmox.CommandRunner;
import io.lxcautoscale.common.proxmox.NodeName;
import io.lxcautoscale.common.proxmox.ProxmoxTools;
import io.lxcautoscale.common.pveapi.PveApiException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's lifecycle: builds the routes of every route class and the {@link RequestPipeline} they run
 * in, starts Jetty through Javalin, and stops it (closing the audit log).
 */
public final class ApiServer implements Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** One endpoint as the HTTP server registered it. */
    public record Registered(String method, String path) {
    }

    private final ApiConfig config;
    private volatile ApiKeys keys;
    private final AuditLog audit;
    private final ApiMetrics metrics = new ApiMetrics();
    private final List<RouteDef> routes;
    private final RequestPipeline pipeline;
    private final List<Registered> registered = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final ProxmoxGateway proxmox;
    private volatile Javalin app;

    private ApiServer(ApiConfig config, String configFile, ApiKeys keys, AuditLog audit) {
        this.config = config;
        this.keys = keys;
        this.audit = audit;
        ApiConfig.Lxc lxc = config.lxc();
        this.proxmox = new ProxmoxGateway(new CommandRunner(), new ProxmoxTools(lxc.pctPath(), lxc.pveshPath(), lxc.timeout()),
                lxc.longTimeout(), metrics);
        String nodeName = NodeName.resolve(lxc.node());
        ContainerDirectory directory = new ContainerDirectory(lxc.configDir());
        ContainerBackend backend = config.proxmox().throughApi()
                ? apiBackend(config, configFile, nodeName, metrics)
                : new PctBackend(proxmox, directory, new MemoryUsage(lxc.cgroupRoot()));
        RouteContext ctx = new RouteContext(config, nodeName, backend, proxmox, directory, new ContainerLocks(lxc.lockWait()), metrics);
        List<RouteDef> all = new ArrayList<>();
        SystemRoutes system = new SystemRoutes(ctx, this::routes, this::port);
        all.addAll(system.routes());
        all.addAll(new ScaleRoutes(ctx).routes());
        all.addAll(new SnapshotRoutes(ctx).routes());
        all.addAll(new CloneRoutes(ctx).routes());
        all.addAll(new ResourceRoutes(ctx).routes());
        all.addAll(new io.lxcautoscale.api.routes.StatusRoutes(config.status()).routes());
        all.addAll(new io.lxcautoscale.api.routes.HistoryRoutes(config.status().modelConfigFile()).routes());
        this.routes = all.stream().map(r -> unsupportedAnswers501(r, backend)).toList();
        this.pipeline = new RequestPipeline(config, configFile, routes, () -> this.keys, audit, metrics);
    }

    /**
     * The Proxmox API backend of {@code proxmox.*}: reads the token and CA files now (a configuration error names the
     * key) and logs, without stopping, what the token lacks.
     */
    private static PveApiBackend apiBackend(ApiConfig config, String configFile, String nodeName, ApiMetrics metrics) {
        PveApiBackend backend = new PveApiBackend(config.proxmox().api().connect(configFile), nodeName,
                PveApiBackend.RESOURCES_TTL, Clock.systemUTC(), metrics);
        LOG.info("acting through the Proxmox API at {} as node '{}' (proxmox.backend: api)", backend.apiBase(), nodeName);
        try {
            List<String> missing = backend.missingPrivileges();
            if (!missing.isEmpty()) {
                LOG.error("the Proxmox API token in {} lacks {}: requests that need it answer 403 (docs/cluster.md lists the role)",
                        config.proxmox().api().tokenFile(), String.join(", ", missing));
            }
        } catch (PveApiException e) {
            LOG.warn("cannot check the Proxmox API token's privileges now: {}", e.getMessage());
        }
        return backend;
    }

    /** {@code route} itself, or, when {@code backend} does not serve it, the same route answering 501 naming both. */
    private static RouteDef unsupportedAnswers501(RouteDef route, ContainerBackend backend) {
        String name = route.method() + " " + route.path();
        if (!backend.unsupportedRoutes().contains(name)) {
            return route;
        }
        RouteHandler refuse = call -> {
            throw new ApiError(501, name + " is not implemented by the Proxmox API backend (proxmox.backend: "
                    + backend.name() + "); run it through the API daemon on the container's node with proxmox.backend: pct");
        };
        return new RouteDef(route.method(), route.path(), route.summary(), route.fields(), route.mutating(), route.deprecated(),
                route.example(), refuse, route.unmetered());
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
        try {
            return new ApiServer(config, configFile, keys, audit);
        } catch (RuntimeException e) {
            try {
                audit.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
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
            cfg.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    registered.add(new Registered(meta.getHttpMethod().name(), meta.getPath()));
                }
            });
            pipeline.install(cfg);
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
                config.authentication().enabled() ? "on" : "OFF", keys.size(), config.rateLimiting().enabled() ? "on" : "off");
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

}
