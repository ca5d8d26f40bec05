package io.lxcautoscale.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.ChildDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code systemctl reload lxc_autoscale_api}: key rotation through SIGHUP to a real API process. */
class ApiReloadTest {
    private static final String MAIN = ApiMain.class.getName();
    private static final String OLD_KEY = "old-key-0123456789abcdef";
    private static final String NEW_KEY = "new-key-fedcba9876543210";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRemovedKeyIsRejectedAndANewOneAcceptedRightAfterTheReloadAndABadFileKeepsTheKeys() throws Exception {
        Path keys = Files.writeString(dir.resolve("api_key"), OLD_KEY + "\n");
        Path config = dir.resolve("lxc_autoscale_api.yaml");
        Files.writeString(config, config(keys, 120));

        try (ChildDaemon api = ChildDaemon.start(MAIN, dir.resolve("console.txt"), "--config", config.toString())) {
            api.awaitOutput(0, "listening on 127.0.0.1:");
            Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(api.output());
            assertThat(m.find()).isTrue();
            URI routes = URI.create("http://127.0.0.1:" + m.group(1) + "/routes");
            assertThat(status(routes, OLD_KEY)).isEqualTo(200);
            assertThat(status(routes, NEW_KEY)).isEqualTo(403);

            // rotate: the key file now holds only the new key; a rate limit change needs a restart
            Files.writeString(keys, "# rotated\n" + NEW_KEY + "\n");
            Files.writeString(config, config(keys, 60));
            int mark = api.mark();
            api.hangup();
            api.awaitOutput(mark, "lxc_autoscale_api: configuration reloaded");
            assertThat(api.outputAfter(mark)).contains("1 key(s) accepted (was 1)")
                    .contains("rate_limiting.max_requests changed from 120 to 60: needs restart")
                    .doesNotContain(OLD_KEY).doesNotContain(NEW_KEY);
            assertThat(status(routes, OLD_KEY)).as("the removed key").isEqualTo(403);
            assertThat(status(routes, NEW_KEY)).as("the new key").isEqualTo(200);

            // an invalid YAML file: --check-config's message, and the keys stay as they are (the old key file
            // content written back is not read either)
            Files.writeString(keys, OLD_KEY + "\n");
            Files.writeString(config, config(keys, 60) + "limits:\n  max_cores: zero\n");
            assertThat(api.hangupExpectingRefusal(config)).contains("limits.max_cores");
            assertThat(status(routes, NEW_KEY)).isEqualTo(200);
            assertThat(status(routes, OLD_KEY)).isEqualTo(403);

            // a valid file but no key left: refused, naming why; the running keys stay
            Files.writeString(keys, "# emptied by mistake\n");
            Files.writeString(config, config(keys, 60));
            mark = api.mark();
            api.hangup();
            api.awaitOutput(mark, "there are no API keys");
            assertThat(api.outputAfter(mark)).contains("configuration reload refused; the running settings stay")
                    .contains(config + ": authentication.enabled is true but there are no API keys");
            assertThat(status(routes, NEW_KEY)).isEqualTo(200);

            assertThat(api.stop()).isZero();
        }
    }

    private String config(Path keys, int maxRequests) {
        return "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "authentication:\n  api_key_file: " + keys + "\n"
                + "rate_limiting:\n  max_requests: " + maxRequests + "\n"
                + "audit:\n  log_file: " + dir.resolve("audit.json") + "\n";
    }

    private int status(URI uri, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("X-API-Key", key).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
