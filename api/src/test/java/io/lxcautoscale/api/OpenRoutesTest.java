package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code authentication.open_routes} on a running server: what it opens, and what it refuses to open. */
class OpenRoutesTest {
    private static final String KEY = "open-routes-key-0123456789";

    @TempDir
    Path dir;

    @Test
    void aListedReadOnlyRouteAnswersWithoutAKeyAndAnUnlistedOneNeedsIt() throws Exception {
        ApiServer server = create("[/routes]");
        int port = server.start();
        try {
            assertThat(status(port, "/routes")).isEqualTo(200);
            assertThat(status(port, "/health/check")).as("open by default, not listed here").isEqualTo(401);
            assertThat(status(port, "/openapi.json")).isEqualTo(401);
        } finally {
            server.close();
        }
    }

    @Test
    void aMutatingRouteOrAnUnknownPathInOpenRoutesStopsTheServerFromStarting() {
        assertThatThrownBy(() -> create("[/, /scale/cores, /nowhere]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml: authentication.open_routes: '/scale/cores' changes containers (POST /scale/cores)")
                .hasMessageContaining("t.yaml: authentication.open_routes: '/nowhere' is not a route of this API");
    }

    private ApiServer create(String openRoutes) {
        String yaml = "server: {host: 127.0.0.1, port: 0}\naudit: {log_file: " + dir.resolve("audit.json") + "}\n"
                + "lxc: {config_dir: " + dir + "}\nlogging: {level: WARN, access_log: false}\n"
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + ", open_routes: " + openRoutes + "}\n";
        ApiConfig config = ConfigLoader.parse("t.yaml", yaml, ApiConfig::bind).config();
        return ApiServer.create(config, "t.yaml");
    }

    private static int status(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
