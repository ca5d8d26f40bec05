package io.lxcautoscale.model.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The model daemon's Prometheus endpoint: {@code GET /metrics} on {@code metrics_endpoint} (host:port),
 * answered from the {@link MetricsSource}s in the text format 0.0.4. One thread; a scrape never waits for a
 * cycle (the sources are snapshots updated at the end of each).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<MetricsSource> sources;

    private MetricsEndpoint(HttpServer server, ExecutorService executor, List<MetricsSource> sources) {
        this.server = server;
        this.executor = executor;
        this.sources = List.copyOf(sources);
    }

    /** Binds {@code host:port} (port 0 = any free port) and starts serving. */
    public static MetricsEndpoint start(String host, int port, List<MetricsSource> sources) throws IOException {
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
            if (!path.equals("/metrics")) {
                respond(ex, 404, "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n");
            } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(ex, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
            } else {
                respond(ex, 200, PrometheusText.CONTENT_TYPE, scrape());
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
