package io.lxcautoscale.model.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server standing in for lxc_autoscale_api: serves the container list and node status it is
 * given, records every request (method, path, X-API-Key, body) and answers POSTs with scripted statuses.
 */
public final class FakeApi implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, String path, String apiKey, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private volatile String containersJson = "[]";
    private volatile String nodeJson = "{\"cpuinfo\":{\"cpus\":16},\"memory\":{\"total\":68719476736,\"used\":1}}";

    private volatile int retryAfterSeconds = 1;

    public FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void containers(String json) {
        containersJson = json;
    }

    public void node(String json) {
        nodeJson = json;
    }

    /** The next responses for {@code path}, in order; afterwards 200. */
    public void script(String path, Integer... statuses) {
        scripted.computeIfAbsent(path, k -> new ArrayDeque<>()).addAll(List.of(statuses));
    }

    /** The {@code Retry-After} sent with a scripted 429. */
    public void retryAfterSeconds(int seconds) {
        retryAfterSeconds = seconds;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("X-API-Key"), body));
        Deque<Integer> queue = scripted.get(path);
        Integer status = queue == null ? null : queue.poll();
        if (status != null && status != 200) {
            if (status == 429) {
                ex.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
            }
            respond(ex, status, "{\"status\":\"error\",\"message\":\"scripted " + status + "\"}");
            return;
        }
        switch (path) {
            case "/resource/lxc/configs" -> respond(ex, 200,
                    "{\"status\":\"success\",\"message\":\"ok\",\"data\":{\"node\":\"pve1\",\"containers\":" + containersJson + "}}");
            case "/resource/node/status" -> respond(ex, 200, "{\"status\":\"success\",\"message\":\"ok\",\"data\":" + nodeJson + "}");
            case "/scale/cores", "/scale/ram" -> respond(ex, 200, "{\"status\":\"success\",\"message\":\"done\"}");
            default -> respond(ex, 404, "{\"status\":\"error\",\"message\":\"no route\"}");
        }
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
