package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.api.ApiHarness.Reply;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.testing.CannotRunHere;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input, concurrency, rate limiting and the start-up safety rules. */
class ApiSafetyTest {
    @TempDir
    Path dir;

    /**
     * A client that sends its whole oversized body before reading (as most HTTP clients do) must get the 413:
     * were the connection closed while body bytes were still arriving, the kernel would reset it and the
     * client would see a broken pipe or a reset instead of the answer.
     */
    @Test
    void everyOversizedBodyGetsIts413EvenWhenTheClientWritesAllOfItFirst() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "server: {host: 127.0.0.1, port: 0, max_body_bytes: 4096}\n")) {
            api.node.container(101, "hostname: web1\ncores: 2\nmemory: 1024\n");
            api.node.clearCalls();
            byte[] body = new byte[2 << 20];
            java.util.Arrays.fill(body, (byte) 'x');
            String head = "POST /scale/cores HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + ApiHarness.KEY + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            for (int i = 0; i < 50; i++) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    // a small send buffer, as over a real network: the body cannot all sit in loopback's large
                    // buffers, so the client is still writing when the server answers
                    socket.setSendBufferSize(8192);
                    socket.connect(new java.net.InetSocketAddress("127.0.0.1", api.port), 10_000);
                    socket.setSoTimeout(20_000);
                    java.io.OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                            java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                    assertThat(statusLine).as("request %d", i).isEqualTo("HTTP/1.1 413 Payload Too Large");
                }
            }
            assertThat(api.node.pctCalls()).isEmpty();
        }
    }

    @Test
    void injectionCorpusIsRejectedWith4xxAndNothingReachesPct() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "server: {host: 127.0.0.1, port: 0, max_body_bytes: 4096}\n")) {
            api.node.container(101, "hostname: web1\ncores: 2\nmemory: 1024\n[snap1]\ncores: 1\n");
            api.node.clearCalls();
            List<String> bodies = new ArrayList<>(List.of(
                    "{\"vm_id\":\"101; reboot\",\"cores\":2}",
                    "{\"vm_id\":\"101\",\"cores\":2}",
                    "{\"vm_id\":101,\"cores\":\"2 && rm -rf /\"}",
                    "{\"vm_id\":101,\"cores\":\"$(reboot)\"}",
                    "{\"vm_id\":101,\"cores\":\"`id`\"}",
                    "{\"vm_id\":101,\"cores\":2.0}",
                    "{\"vm_id\":101.5,\"cores\":2}",
                    "{\"vm_id\":1e3,\"cores\":2}",
                    "{\"vm_id\":101,\"cores\":true}",
                    "{\"vm_id\":101,\"cores\":null}",
                    "{\"vm_id\":101,\"cores\":{\"$gt\":1}}",
                    "{\"vm_id\":101,\"cores\":[2]}",
                    "{\"vm_id\":[101],\"cores\":2}",
                    "{\"vm_id\":101,\"cores\":-2}",
                    "{\"vm_id\":101,\"cores\":99999999999999999999999999999}",
                    "{\"vm_id\":101,\"cores\":9223372036854775808}",
                    "{\"vm_id\":-101,\"cores\":2}",
                    "{\"vm_id\":1000000000,\"cores\":2}",
                    "{\"vm_id\":101,\"cores\":2,\"cores\":3}",
                    "{\"vm_id\":101,\"cores\":2,\"extra\":\"--force\"}",
                    "{\"vm_id\":101,\"cores\":2} {\"x\":1}",
                    "[{\"vm_id\":101,\"cores\":2}]",
                    "\"vm_id=101\"",
                    "null",
                    "",
                    "{\"vm_id\":101,",
                    "{\"vm_id\":101,\"lxc_id\":102,\"cores\":2}",
                    "{\"vm_id\":\"١٠١\",\"cores\":2}",
                    "{\"vm_id\":101,\"cores\":\"２\"}"));
            for (String body : bodies) {
                Reply r = api.post("/scale/cores", body);
                assertThat(r.status()).as(body).isBetween(400, 499);
                assertThat(r.json().path("status").asText()).as(body).isEqualTo("error");
            }
            List<String> snapshotNames = List.of("-rf", "--force", "-", "snap;reboot", "snap name", "../../etc/passwd", "snap/../x",
                    "snäp", "snap\u0000x", "snap\nx", "$(id)", "`id`", "a", "1abc", "_abc", "current", "x".repeat(41), "snap$x", "snap|x");
            for (String name : snapshotNames) {
                String json = "{\"vm_id\":101,\"snapshot_name\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(name) + "}";
                assertThat(api.post("/snapshot/create", json).status()).as(name).isEqualTo(400);
                if (name.startsWith("-")) {
                    assertThat(api.post("/snapshot/rollback", json).status()).as(name).isEqualTo(400);
                    assertThat(api.delete("/snapshot/delete", json).status()).as(name).isEqualTo(400);
                }
            }
            for (String host : List.of("-rf", "host;reboot", "a..b", "-host", "host-", "ho st", "hôst", "../x", "x".repeat(64))) {
                String json = "{\"vm_id\":101,\"new_vm_id\":201,\"new_vm_name\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(host) + "}";
                assertThat(api.post("/clone/create", json).status()).as(host).isEqualTo(400);
            }
            for (String query : List.of("vm_id=101;reboot", "vm_id=-101", "vm_id=%2D%2Dhelp", "vm_id=101%0Areboot", "vm_id=1e3",
                    "vm_id=101.0", "vm_id=99999999999999999999", "vm_id=%D9%A1%D9%A0%D9%A1", "vm_id=101&x=1", "vm_id=")) {
                assertThat(api.get("/snapshot/list?" + query).status()).as(query).isEqualTo(400);
            }
            for (String nodeName : List.of("pve;reboot", "..%2F..%2Fetc", "-x", "pve%20x", "pve/x")) {
                assertThat(api.get("/resource/node/status?node_name=" + nodeName).status()).as(nodeName).isBetween(400, 404);
            }
            // parameters in the query string of a mutating call (a cross-site form or link)
            assertThat(api.send(api.request("/scale/cores?vm_id=101&cores=2").header("X-API-Key", ApiHarness.KEY)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()).status()).isEqualTo(400);
            // wrong content types
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx")) {
                Reply r = api.send(api.request("/scale/cores").header("X-API-Key", ApiHarness.KEY).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"vm_id\":101,\"cores\":2}")).build());
                assertThat(r.status()).as(type).isEqualTo(415);
            }
            Reply noType = api.send(api.request("/scale/cores").header("X-API-Key", ApiHarness.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"vm_id\":101,\"cores\":2}")).build());
            assertThat(noType.status()).isEqualTo(415);
            // oversized bodies, with and without a plausible structure
            assertThat(api.post("/scale/cores", "{\"vm_id\":101,\"cores\":2,\"pad\":\"" + "x".repeat(5000) + "\"}").status()).isEqualTo(413);
            assertThat(api.post("/scale/cores", "[".repeat(1500) + "]".repeat(1500)).status()).isEqualTo(400);
            assertThat(api.node.pctCalls()).as("no rejected request may reach pct").isEmpty();
            assertThat(api.node.pveshCalls()).isEmpty();
            // the same server still works for a valid call afterwards
            assertThat(api.post("/scale/cores", "{\"vm_id\":101,\"cores\":3}").status()).isEqualTo(200);
            assertThat(api.node.pctCalls()).containsExactly(List.of("set", "101", "-cores", "3"));
        }
    }

    @Test
    void fiftySimultaneousCallsOnOneContainerNeverOverlapAndNoneIsLost() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "", 60000, 30)) {
            api.node.container(103, "hostname: ct103\ncores: 1\nmemory: 512\n");
            api.node.delay("103", "0.05");
            api.node.clearCalls();
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(api.postAsync("/scale/cores", "{\"vm_id\":103,\"cores\":" + (2 + i % 8) + "}"));
            }
            int ok = 0;
            for (CompletableFuture<Reply> r : replies) {
                Reply reply = r.get();
                assertThat(reply.status()).as(reply.body()).isIn(200, 409);
                ok += reply.status() == 200 ? 1 : 0;
            }
            // the 60 s lock wait is far above 50 calls of a 50 ms stand-in, so every call must get its turn
            assertThat(ok).isEqualTo(50);
            assertThat(api.node.pctCalls()).hasSize(50);
            assertThat(api.node.sameVmidOverlap()).as("two pct set on one VMID ran at once").isFalse();
        }
    }

    @Test
    void secondCallOnABusyContainerGets409AfterTheBoundedWait() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "", 200, 30)) {
            api.node.container(106, "hostname: ct106\ncores: 1\nmemory: 512\n");
            api.node.delay("106", "4");
            CompletableFuture<Reply> first = api.postAsync("/scale/cores", "{\"vm_id\":106,\"cores\":2}");
            // wait until the first call is inside pct before sending the second
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (api.node.pctCalls().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Reply second = api.post("/scale/cores", "{\"vm_id\":106,\"cores\":3}");
            assertThat(second.status()).isEqualTo(409);
            assertThat(second.json().path("message").asText()).contains("Another operation on container 106 is still running");
            assertThat(first.get().status()).isEqualTo(200);
            assertThat(api.node.pctCalls()).containsExactly(List.of("set", "106", "-cores", "2"));
        }
    }

    @Test
    void callsOnDifferentContainersRunInParallel() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "", 20000, 30)) {
            for (int id = 104; id < 108; id++) {
                api.node.container(id, "hostname: ct" + id + "\ncores: 1\nmemory: 512\n");
            }
            api.node.delay("all", "0.5");
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int id = 104; id < 108; id++) {
                replies.add(api.postAsync("/scale/cores", "{\"vm_id\":" + id + ",\"cores\":2}"));
            }
            for (CompletableFuture<Reply> r : replies) {
                assertThat(r.get().status()).isEqualTo(200);
            }
            assertThat(api.node.crossVmidOverlap()).as("calls on different VMIDs should overlap in pct").isTrue();
            assertThat(api.node.sameVmidOverlap()).isFalse();
        }
    }

    @Test
    void rateLimitAnswers429WithHeadersButNeverThrottlesAuthenticatedCalls() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "rate_limiting: {max_requests: 3, time_window_seconds: 60}\n")) {
            api.node.container(101, "hostname: web1\ncores: 2\nmemory: 1024\n");
            for (int i = 0; i < 3; i++) {
                Reply r = api.send(api.request("/health/check").GET().build());
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("X-RateLimit-Limit")).isEqualTo("3");
                assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(2 - i));
            }
            Reply limited = api.send(api.request("/health/check").GET().build());
            assertThat(limited.status()).isEqualTo(429);
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
            assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(Long.parseLong(limited.header("X-RateLimit-Reset"))).isGreaterThan(System.currentTimeMillis() / 1000);
            assertThat(limited.json().path("retry_after_seconds").asInt()).isPositive();
            // wrong keys are throttled too (no free brute force) ...
            assertThat(api.send(api.request("/resource/lxc/configs").header("X-API-Key", "wrong-key-0000000000").GET().build()).status())
                    .isEqualTo(429);
            // ... but the model's authenticated calls never are
            for (int i = 0; i < 20; i++) {
                assertThat(api.get("/resource/lxc/configs").status()).isEqualTo(200);
            }
            // X-Forwarded-For from an untrusted peer is ignored: still the same (limited) client
            assertThat(api.send(api.request("/health/check").header("X-Forwarded-For", "10.9.9.9").GET().build()).status()).isEqualTo(429);
        }
    }

    @Test
    void forwardedForIsHonouredOnlyFromTrustedProxies() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "rate_limiting: {max_requests: 1, time_window_seconds: 60, trusted_proxies: [127.0.0.1]}\n")) {
            assertThat(api.send(api.request("/health/check").header("X-Forwarded-For", "10.0.0.1").GET().build()).status()).isEqualTo(200);
            assertThat(api.send(api.request("/health/check").header("X-Forwarded-For", "10.0.0.1").GET().build()).status()).isEqualTo(429);
            // a different client behind the same proxy has its own window
            assertThat(api.send(api.request("/health/check").header("X-Forwarded-For", "6.6.6.6, 10.0.0.2").GET().build()).status()).isEqualTo(200);
        }
    }

    /** The peer is {@code ::1} as Jetty prints it; the proxy is configured in the other spelling. */
    @Test
    void anIpv6TrustedProxyIsRecognisedWhateverItsSpelling() throws Exception {
        CannotRunHere.unless(ipv6LoopbackWorks(), "no IPv6 loopback (::1) to listen on");
        try (ApiHarness api = new ApiHarness(dir, "server: {host: '::1', port: 0}\n"
                + "rate_limiting: {max_requests: 1, time_window_seconds: 3600, trusted_proxies: ['0:0:0:0:0:0:0:1']}\n")) {
            java.util.function.IntSupplier fromBehindTheProxy = () -> api.send(HttpRequest.newBuilder(
                            java.net.URI.create("http://[::1]:" + api.port + "/health/check"))
                    .header("X-Forwarded-For", "10.0.0.1").GET().build()).status();
            assertThat(fromBehindTheProxy.getAsInt()).isEqualTo(200);
            assertThat(fromBehindTheProxy.getAsInt()).isEqualTo(429);
            // a different client behind the same proxy has its own window: the proxy was recognised
            assertThat(api.send(HttpRequest.newBuilder(java.net.URI.create("http://[::1]:" + api.port + "/health/check"))
                    .header("X-Forwarded-For", "10.0.0.2").GET().build()).status()).isEqualTo(200);
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("::1"))) {
            return s.getLocalPort() > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void healthIs503WhenPctFails() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, "")) {
            Files.writeString(api.node.state.resolve("exit-list"), "1");
            Reply r = api.send(api.request("/health/check").GET().build());
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().path("status").asText()).isEqualTo("unhealthy");
            assertThat(r.json().path("checks").path("lxc_commands").path("detail").asText()).contains("pct list exited 1");
        }
    }

    @Test
    void refusesToStartUnsafely() throws Exception {
        Path keys = dir.resolve("api_key");
        assertThatThrownBy(() -> create("server: {host: 0.0.0.0}\nauthentication: {enabled: false}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not loopback");
        assertThatThrownBy(() -> create("authentication: {api_key_file: " + dir.resolve("missing") + "}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no API keys");
        Files.writeString(keys, "# generated at install\n\nshort\n");
        assertThatThrownBy(() -> create("authentication: {api_key_file: " + keys + "}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("too short");
        // explicit opt-in works; a key file with comments works
        create("server: {host: 0.0.0.0}\nauthentication: {enabled: false, allow_unauthenticated_remote: true}\n").close();
        Files.writeString(keys, "# generated at install\n\nfile-key-0123456789abcdef\n");
        create("authentication: {api_key_file: " + keys + "}\n").close();
    }

    /** Only the key file holds keys here (api_keys is empty): its key is accepted (200), its comment line and a near miss are wrong keys (403). */
    @Test
    void keyFromKeyFileIsAccepted() throws Exception {
        Path keys = dir.resolve("api_key");
        Files.writeString(keys, "# comment\n\nfile-key-0123456789abcdef\n");
        ApiConfig config = ConfigLoader.parse("t.yaml", "server: {port: 0}\naudit: {log_file: " + dir.resolve("a.json") + "}\n"
                + "lxc: {config_dir: " + dir + "}\nauthentication: {api_keys: [], api_key_file: " + keys + "}\n", ApiConfig::bind).config();
        assertThat(config.authentication().apiKeys()).as("no key in the YAML").isEmpty();
        ApiServer server = ApiServer.create(config, "t.yaml");
        int port = server.start();
        try {
            assertThat(statusWithKey(port, "file-key-0123456789abcdef")).isEqualTo(200);
            assertThat(statusWithKey(port, "# comment")).as("a comment line is not a key").isEqualTo(403);
            assertThat(statusWithKey(port, "file-key-0123456789abcdeX")).isEqualTo(403);
        } finally {
            server.close();
        }
    }

    @Test
    void withAuthenticationOffOnLoopbackTheModelsKeyIsStillNeverRateLimited() throws Exception {
        Path keys = dir.resolve("api_key");
        Files.writeString(keys, "# generated at install\nmodel-key-0123456789abcdef\n");
        ApiServer server = create("server: {host: 127.0.0.1, port: 0}\nauthentication: {enabled: false, api_key_file: " + keys + "}\n"
                + "rate_limiting: {max_requests: 2, time_window_seconds: 60}\n");
        int port = server.start();
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<String, Integer> routes = key -> {
                var b = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/routes"));
                if (key != null) {
                    b.header("X-API-Key", key);
                }
                try {
                    return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            assertThat(routes.apply(null)).isEqualTo(200);
            assertThat(routes.apply(null)).isEqualTo(200);
            assertThat(routes.apply(null)).isEqualTo(429);                          // an anonymous client is limited
            assertThat(routes.apply("wrong-key-0123456789abcdef")).isEqualTo(429);  // so is an unknown key
            for (int i = 0; i < 10; i++) {
                assertThat(routes.apply("model-key-0123456789abcdef")).isEqualTo(200);
            }
        } finally {
            server.close();
        }
    }

    private static int statusWithKey(int port, String key) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/routes"))
                .header("X-API-Key", key).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private ApiServer create(String yaml) {
        String withAudit = yaml + (yaml.contains("audit") ? "" : "audit: {log_file: " + dir.resolve("audit.json") + "}\n");
        ApiConfig config = ConfigLoader.parse("t.yaml", withAudit, ApiConfig::bind).config();
        return ApiServer.create(config, "t.yaml");
    }
}
