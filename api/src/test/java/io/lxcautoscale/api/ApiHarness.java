package io.lxcautoscale.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Starts a real API server on a random loopback port against a {@link StandInNode} and talks HTTP to it. */
final class ApiHarness implements AutoCloseable {
    static final String KEY = "test-key-0123456789abcdef";

    /** One HTTP answer. */
    record Reply(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    final StandInNode node;
    final ApiServer server;
    final Path auditLog;
    final int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    ApiHarness(Path dir, String extraYaml) throws IOException {
        this(dir, extraYaml, 20000, 2);
    }

    ApiHarness(Path dir, String extraYaml, int lockWaitMs, int timeoutSeconds) throws IOException {
        this.node = new StandInNode(dir);
        this.auditLog = dir.resolve("audit.json");
        String yaml = (extraYaml.contains("server:") ? "" : "server: {host: 127.0.0.1, port: 0}\n")
                + "lxc:\n  node: pve\n  timeout_seconds: " + timeoutSeconds + "\n  long_timeout_seconds: " + timeoutSeconds + "\n  pct_path: " + node.pct + "\n  pvesh_path: " + node.pvesh
                + "\n  config_dir: " + node.confDir + "\n  cgroup_root: " + node.cgroupRoot + "\n  lock_wait_ms: " + lockWaitMs + "\n"
                + "authentication:\n  api_keys: [" + KEY + "]\n  api_key_file: " + dir.resolve("no-key-file") + "\n"
                + "audit: {log_file: " + auditLog + "}\n"
                + "logging: {level: WARN, access_log: false}\n"
                + extraYaml;
        ApiConfig config = ConfigLoader.parse("test.yaml", yaml, ApiConfig::bind).config();
        this.server = ApiServer.create(config, "test.yaml");
        this.port = server.start();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    Reply get(String path) {
        return send(request(path).header("X-API-Key", KEY).GET().build());
    }

    Reply post(String path, String json) {
        return send(request(path).header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply delete(String path, String json) {
        return send(request(path).header("X-API-Key", KEY).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    CompletableFuture<Reply> postAsync(String path, String json) {
        HttpRequest r = request(path).header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> new Reply(resp.statusCode(), resp));
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(resp.statusCode(), resp);
        } catch (IOException e) {
            throw new AssertionError("HTTP call failed: " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
