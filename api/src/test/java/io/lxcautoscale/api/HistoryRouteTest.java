package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.api.status.ModelSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /status/history}: the API passes the model's answer on; here the cases where there is no model to ask.
 * The answer of a real model (200 with its steps, 404 for a container it does not know) is checked end to end by
 * {@code MigrationHistoryTest} in the bench module, which runs both daemons.
 */
class HistoryRouteTest {
    @TempDir
    Path dir;

    private ApiHarness api(String modelYaml) throws IOException {
        Path model = dir.resolve("model.yaml");
        Files.writeString(model, modelYaml);
        return new ApiHarness(dir, "status:\n  model_config_file: " + model + "\n");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aModelThatDoesNotAnswerIs503NamingWhereItWasAsked() throws IOException {
        int port = closedPort();
        try (ApiHarness api = api("metrics_endpoint: 127.0.0.1:" + port + "\n")) {
            ApiHarness.Reply r = api.get("/status/history?vmid=105");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("60");
            assertThat(r.json().path("message").asText()).startsWith("The model daemon does not answer at http://127.0.0.1:" + port
                    + "/history/105: ");
        }
    }

    @Test
    void aModelWithoutItsEndpointIs503SayingSo() throws IOException {
        try (ApiHarness api = api("metrics_endpoint: ''\n")) {
            ApiHarness.Reply r = api.get("/status/history?vmid=105");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().path("message").asText()).contains("metrics_endpoint is off").contains(dir.resolve("model.yaml").toString());
        }
    }

    @Test
    void aMissingOrBadVmidIs400() throws IOException {
        try (ApiHarness api = api("{}\n")) {
            assertThat(api.get("/status/history").status()).isEqualTo(400);
            ApiHarness.Reply r = api.get("/status/history?vmid=12");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().path("errors").toString()).contains("vmid");
        }
    }

    @Test
    void theModelIsAskedOnLoopbackWhenItListensEverywhere() {
        assertThat(ModelSettings.DEFAULTS.modelEndpoint()).isEqualTo("http://127.0.0.1:9105");
        assertThat(ModelSettings.endpointOf("0.0.0.0:9105")).isEqualTo("http://127.0.0.1:9105");
        assertThat(ModelSettings.endpointOf("[::]:9200")).isEqualTo("http://127.0.0.1:9200");
        assertThat(ModelSettings.endpointOf("[fd00::5]:9105")).isEqualTo("http://[fd00::5]:9105");
        assertThat(ModelSettings.endpointOf("10.0.0.5:9105")).isEqualTo("http://10.0.0.5:9105");
        assertThat(ModelSettings.endpointOf("")).isNull();
        assertThat(ModelSettings.endpointOf("nonsense")).isNull();
    }
}
