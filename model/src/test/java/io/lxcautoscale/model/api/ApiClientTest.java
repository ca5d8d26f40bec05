package io.lxcautoscale.model.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.model.testing.FakeApi;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiClientTest {
    private final FakeApi server = new FakeApi();
    private final List<Duration> sleeps = new ArrayList<>();

    ApiClientTest() throws Exception {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiClient client(String url) {
        return new ApiClient(url, "/scale/cores", "/scale/ram", "/resource/lxc/configs", "/resource/node/status",
                Duration.ofSeconds(5), Duration.ofSeconds(5), "secret-key", 3, Duration.ofMillis(100), sleeps::add);
    }

    @Test
    void sendsTheApiKeyOnFetchesAndPosts() throws Exception {
        server.containers("[{\"vmid\":101,\"status\":\"running\",\"name\":\"web1\",\"cores\":2,\"cpulimit\":0.0,"
                + "\"memory_mb\":2048,\"swap_mb\":512,\"lock\":null,\"tags\":[\"prod\"],\"template\":false}]");
        ApiClient api = client(server.url());
        ApiClient.Configs configs = api.fetchConfigs();
        api.setCores("101", 3);
        api.setMemory("101", 2560);
        assertThat(configs.allocations().get("101").cores()).isEqualTo(2);
        assertThat(configs.allocations().get("101").tags()).containsExactly("prod");
        assertThat(server.requests()).extracting(FakeApi.Request::apiKey).containsOnly("secret-key");
        assertThat(server.requests("/scale/cores").get(0).body()).isEqualTo("{\"vm_id\":101,\"cores\":3}");
        assertThat(server.requests("/scale/ram").get(0).body()).isEqualTo("{\"vm_id\":101,\"memory\":2560}");
    }

    @Test
    void containerWithoutMemoryIsUnusableAndCoresNullMeansAllCpus() throws Exception {
        server.containers("[{\"vmid\":101,\"status\":\"running\",\"cores\":null,\"memory_mb\":1024,\"tags\":[]},"
                + "{\"vmid\":102,\"status\":\"running\",\"cores\":2,\"memory_mb\":null,\"tags\":[]}]");
        ApiClient.Configs configs = client(server.url()).fetchConfigs();
        assertThat(configs.allocations().get("101").cores()).isZero();
        assertThat(configs.allocations()).doesNotContainKey("102");
        assertThat(configs.unusable()).containsKey("102");
    }

    @Test
    void retriesA503WithBackoff() throws Exception {
        server.script("/scale/cores", 503, 503);
        client(server.url()).setCores("101", 3);
        assertThat(server.requests("/scale/cores")).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retriesWhenTheConnectionIsRefusedThenReportsIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> client("http://127.0.0.1:" + port).setCores("101", 3))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isZero())
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(sleeps).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409})
    void doesNotRetryA4xx(int status) {
        server.script("/scale/ram", status);
        assertThatThrownBy(() -> client(server.url()).setMemory("101", 1024))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("HTTP " + status).hasMessageContaining("scripted " + status);
        assertThat(server.requests("/scale/ram")).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void retriesA429AfterItsRetryAfter() throws Exception {
        server.retryAfterSeconds(7);
        server.script("/scale/ram", 429);
        client(server.url()).setMemory("101", 1024);
        assertThat(server.requests("/scale/ram")).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7)); // not the 100 ms backoff
    }

    @Test
    void aLongRetryAfterIsCappedAndAttemptsStillEnd() {
        server.retryAfterSeconds(3600);
        server.script("/scale/cores", 429, 429, 429);
        assertThatThrownBy(() -> client(server.url()).setCores("101", 2)).isInstanceOf(ApiException.class).hasMessageContaining("HTTP 429");
        assertThat(server.requests("/scale/cores")).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    @Test
    void givesUpAfterMaxAttemptsOf5xx() {
        server.script("/scale/cores", 500, 502, 503, 504);
        assertThatThrownBy(() -> client(server.url()).setCores("101", 2)).isInstanceOf(ApiException.class).hasMessageContaining("HTTP 503");
        assertThat(server.requests("/scale/cores")).hasSize(3);
    }

    @Test
    void apiKeyComesFromTheFirstKeyOfTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api_key");
        Files.writeString(file, "# keys\n\n  key-one  \nkey-two\n");
        assertThat(ApiClient.resolveApiKey(null, file)).isEqualTo("key-one");
        assertThat(ApiClient.resolveApiKey("configured", file)).isEqualTo("configured");
        assertThat(ApiClient.resolveApiKey(null, dir.resolve("missing"))).isNull();
    }

    @Test
    void breakerOpensAfterTheThresholdAndRecoversAfterTheTimeout() {
        MutableClock clock = new MutableClock(Instant.parse("2026-08-18T12:00:00Z"));
        CircuitBreaker breaker = new CircuitBreaker(true, 2, 1800, clock);
        assertThat(breaker.failure("101")).isFalse();
        assertThat(breaker.allows("101")).isTrue();
        assertThat(breaker.failure("101")).isTrue();
        assertThat(breaker.allows("101")).isFalse();
        assertThat(breaker.allows("102")).isTrue();
        clock.advance(Duration.ofSeconds(1801));
        assertThat(breaker.allows("101")).isTrue();            // half-open: one trial
        assertThat(breaker.failure("101")).isTrue();           // trial failed: open again
        assertThat(breaker.allows("101")).isFalse();
        clock.advance(Duration.ofSeconds(1801));
        breaker.success("101");
        assertThat(breaker.allows("101")).isTrue();
        assertThat(breaker.failure("101")).isFalse();           // closed again: counting from zero
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
