package io.lxcautoscale.model.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The model daemon's Prometheus endpoint: {@code GET /metrics} on {@code metrics_endpoint} (host:port),
 * answered from the {@link MetricsSource}s in the text format 0.0.4. One thread; a scrape never waits for a
 * cycle (the sources are snapshots updated at the end of each). With {@link #serveHistory} it also answers
 * {@code GET /history/{vmid}}: a container's policy steps as JSON, for the API daemon to hand to the model of the
 * node the container migrated to (docs/cluster.md).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<MetricsSource> sources;
    private volatile HistorySource history;

    /** A container's steps as JSON, empty when the model has none for it; a {@link Busy} when it cannot say now. */
    public interface HistorySource {
        Optional<String> stepsJson(String vmid) throws Busy;
    }

    /** The history cannot be read now (a cycle holds it too long): the caller should ask again later. */
    public static final class Busy extends Exception {
        public Busy(String message) {
            super(message);
        }
    }

    private MetricsEndpoint(HttpServer server, ExecutorService executor, List<MetricsSource> sources) {
        this.server = server;
        this.executor = executor;
        this.sources = List.copyOf(sources);
    }

    /** Binds {@code host:port} (port 0 = any free port) and starts serving. */
    public static MetricsEndpoint start(String host, int port, List<MetricsSource> sources) throws IOException {
        // TCP_NODELAY: without it a body written after its headers waits for the client's delayed ACK (40 ms on
        // Linux) — measured by HistoryRouteBench. Read once, when the JDK's server first starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-endpoint");
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, sources);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code GET /history/{vmid}} from {@code source}. */
    public void serveHistory(HistorySource source) {
        this.history = source;
    }

    /** The current scrape, as served. */
    public String scrape() {
        PrometheusText out = new PrometheusText();
        for (MetricsSource s : sources) {
            s.writeTo(out);
        }
        return out.text();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/history/") && history != null) {
                handleHistory(ex, path.substring("/history/".length()));
            } else if (!path.equals("/metrics")) {
                respond(ex, 404, "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n");
            } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(ex, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
            } else {
                respond(ex, 200, PrometheusText.CONTENT_TYPE, scrape());
            }
        }
    }

    private void handleHistory(HttpExchange ex, String vmid) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            ex.getResponseHeaders().set("Allow", "GET");
            respond(ex, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
        } else if (!vmid.matches("[1-9][0-9]{2,8}")) {
            respond(ex, 400, "text/plain; charset=utf-8", "not a VMID: '" + vmid + "' (100 to 999999999)\n");
        } else {
            try {
                Optional<String> json = history.stepsJson(vmid);
                if (json.isPresent()) {
                    respond(ex, 200, "application/json", json.get());
                } else {
                    respond(ex, 404, "text/plain; charset=utf-8", "no history of container " + vmid + " here\n");
                }
            } catch (Busy e) {
                ex.getResponseHeaders().set("Retry-After", "60");
                respond(ex, 503, "text/plain; charset=utf-8", e.getMessage() + "\n");
            }
        }
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
