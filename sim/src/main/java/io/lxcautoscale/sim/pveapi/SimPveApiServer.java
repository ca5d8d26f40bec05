package io.lxcautoscale.sim.pveapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The simulated Proxmox API over HTTPS on loopback: decodes requests (query string, form or JSON body), hands them
 * to {@link SimPveApi} and writes its answers with Proxmox's headers, closing the connection after an error as
 * Proxmox does. Counts requests per method and path. The JDK's HTTP server writes its own reason phrase (e.g.
 * {@code Unauthorized}), not Proxmox's ({@link SimPveResponse#reason()}).
 */
public final class SimPveApiServer implements AutoCloseable {
    private static final int MAX_BODY = 512 * 1024;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final SimPveApi api;
    private final Map<String, AtomicLong> requestCounts = new TreeMap<>();

    private SimPveApiServer(HttpsServer server, ExecutorService executor, SimPveApi api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
    }

    /** Starts serving on 127.0.0.1 at a free port, presenting the certificate of {@code tls}. */
    public static SimPveApiServer start(SimPveApi api, SSLContext tls) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "sim-pve-api");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            SimPveApiServer simulated = new SimPveApiServer(server, executor, api);
            server.createContext("/", simulated::serve);
            server.start();
            return simulated;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the simulated Proxmox API", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests received for {@code "GET /api2/json/cluster/resources"} and the like (path without query). */
    public synchronized long requestCount(String methodAndPath) {
        AtomicLong count = requestCounts.get(methodAndPath);
        return count == null ? 0 : count.get();
    }

    /** Every request received so far. */
    public synchronized long totalRequests() {
        return requestCounts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            synchronized (this) {
                requestCounts.computeIfAbsent(method + " " + path, k -> new AtomicLong()).incrementAndGet();
            }
            SimPveResponse response;
            byte[] raw = readBody(exchange.getRequestBody());
            if (raw == null) {
                response = SimPveResponse.error(501, "for data too large");
            } else if (raw.length > 0 && (method.equals("GET") || method.equals("DELETE"))) {
                response = SimPveResponse.error(501, "Unexpected content for method '" + method + "'");
            } else {
                Optional<Map<String, String>> body = decodeBody(exchange.getRequestHeaders().getFirst("Content-Type"), raw);
                response = body.isEmpty()
                        ? SimPveResponse.error(506, "unsupported content type")
                        : api.handle(method, path, decodeForm(exchange.getRequestURI().getRawQuery()),
                                exchange.getRequestHeaders().getFirst("Authorization"), body.get());
            }
            exchange.getResponseHeaders().set("Server", "pve-api-daemon/3.0");
            exchange.getResponseHeaders().set("Cache-Control", "max-age=0");
            exchange.getResponseHeaders().set("Pragma", "no-cache");
            exchange.getResponseHeaders().set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
            if (response.status() >= 400) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            if (response.body().isEmpty()) {
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            byte[] bytes = response.body().get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    private static Optional<Map<String, String>> decodeBody(String contentType, byte[] raw) {
        if (raw.length == 0) {
            return Optional.of(Map.of());
        }
        String type = contentType == null ? "application/x-www-form-urlencoded" : contentType.split(";")[0].strip();
        String text = new String(raw, StandardCharsets.UTF_8);
        if (type.equals("application/x-www-form-urlencoded")) {
            return Optional.of(decodeForm(text));
        }
        if (type.equals("application/json")) {
            try {
                JsonNode node = Json.mapper().readTree(text);
                if (node == null || !node.isObject()) {
                    return Optional.empty();
                }
                Map<String, String> params = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    JsonNode value = field.getValue();
                    params.put(field.getKey(), value.isBoolean() ? (value.asBoolean() ? "1" : "0") : value.asText());
                }
                return Optional.of(params);
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> decodeForm(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
