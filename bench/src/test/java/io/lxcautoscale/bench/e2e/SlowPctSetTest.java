package io.lxcautoscale.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.act.Actuation;
import io.lxcautoscale.model.act.Actuator;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.api.CircuitBreaker;
import io.lxcautoscale.model.journal.SuggestionJournal;
import io.lxcautoscale.model.policy.Action;
import io.lxcautoscale.model.policy.Anomaly;
import io.lxcautoscale.model.policy.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow {@code pct set} (6 s: Proxmox hot-plugging memory into a busy container) through the real API and the
 * model's client and actuator: with the shipped timeouts it is journaled applied, not failed. The delay is
 * the stand-in {@code pct}'s own {@code sleep}, read from a file: no race.
 */
class SlowPctSetTest {
    private static final String KEY = "slow-pct-key-0123456789abcdef";

    @TempDir
    Path dir;
    private ApiServer server;
    private int port;

    @BeforeEach
    void startTheApi() throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("pve/lxc"));
        Files.writeString(confDir.resolve("101.conf"), "hostname: web1\ncores: 2\nmemory: 2048\nswap: 512\n");
        Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(dir.resolve("delay"), "6\n");
        Path pct = dir.resolve("pct");
        Files.writeString(pct, "#!/bin/sh\n"
                + "echo \"$@\" >> '" + dir.resolve("argv.log") + "'\n"
                + "if [ \"$1\" = set ]; then sleep \"$(cat '" + dir.resolve("delay") + "')\"; fi\n"
                + "exit 0\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pct, PosixFilePermissions.fromString("rwx------"));
        String yaml = "server: {host: 127.0.0.1, port: 0}\n"
                + "lxc: {node: pve, pct_path: " + pct + ", pvesh_path: " + pct + ", config_dir: " + confDir
                + ", cgroup_root: " + dir.resolve("cgroup") + "}\n"   // the shipped timeout_seconds (30) and lock_wait_ms (30000)
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + "}\n"
                + "audit: {log_file: " + dir.resolve("audit.json") + "}\nlogging: {level: WARN, access_log: false}\n";
        server = ApiServer.create(ConfigLoader.parse("api.yaml", yaml, ApiConfig::bind).config(), "api.yaml");
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Actuation raiseMemory(String apiExtra, String modelYaml) throws Exception {
        ModelConfig c = ConfigLoader.parse("ml.yaml", "api: {api_url: 'http://127.0.0.1:" + port + "', api_key: " + KEY + apiExtra + "}\n"
                + modelYaml, ModelConfig::bind).config();
        ApiClient client = new ApiClient(c.api().apiUrl(), c.api().coresEndpoint(), c.api().ramEndpoint(), c.api().configsEndpoint(),
                c.api().nodeEndpoint(), Duration.ofMillis((long) (c.api().timeoutSeconds() * 1000)),
                Duration.ofMillis((long) (c.api().scaleTimeoutSeconds() * 1000)), c.api().apiKey(), c.maxRetries(), Duration.ZERO, d -> { });
        Actuator actuator = new Actuator(client, new CircuitBreaker(true, 3, 1800, Clock.systemUTC()));
        return actuator.apply(decision());
    }

    private static Decision decision() {
        return new Decision("101", 2, 2048, 2, 3072, Action.NONE, Action.UP, 100, true, false, Anomaly.NONE,
                List.of("1 oom_kill event(s): memory must grow"));
    }

    @Test
    void aSixSecondPctSetIsJournaledAppliedWithTheShippedTimeouts() throws Exception {
        long t0 = System.nanoTime();
        Actuation a = raiseMemory("", "");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        JsonNode entry = SuggestionJournal.entry(Instant.now(), decision(), a);
        assertThat(entry.path("outcome").asText()).as(entry.toString()).isEqualTo("applied");
        assertThat(entry.path("ram_outcome").asText()).isEqualTo("applied");
        assertThat(Files.readAllLines(dir.resolve("argv.log"))).containsExactly("set 101 -memory 3072");
    }

    @Test
    void theOldFiveSecondTimeoutWouldHaveJournaledTheAppliedChangeAsFailed() throws Exception {
        Actuation a = raiseMemory(", scale_timeout_seconds: 5", "retry_logic: {max_retries: 1}\n");
        assertThat(a.memory()).isEqualTo(Actuation.Step.FAILED);
        assertThat(a.memoryError()).containsIgnoringCase("timed out");
        // yet pct set had started (the stand-in logs before it sleeps): Proxmox goes on and applies it
        assertThat(Files.readAllLines(dir.resolve("argv.log"))).containsExactly("set 101 -memory 3072");
    }
}
