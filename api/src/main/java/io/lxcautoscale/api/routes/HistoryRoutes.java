package io.lxcautoscale.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.Fields;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.http.RouteDef.FieldDef;
import io.lxcautoscale.api.status.ModelSettings;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /status/history?vmid=N}: one container's policy steps as this node's model keeps them (mean CPU used and
 * peak memory per step, up to {@code history.days}), asked of the model daemon on this host (its
 * {@code metrics_endpoint}, {@code /history/{vmid}}). In a cluster, the model of the node a container migrated to asks
 * this route of the node it left, so the container's warm-ups do not start again (docs/cluster.md). The API daemon
 * holds no history of its own here: it only passes the model's answer on, behind its authentication.
 */
public final class HistoryRoutes {
    private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(5);

    private final Path modelConfigFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(MODEL_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** @param modelConfigFile the model daemon's YAML ({@code status.model_config_file}), read for its {@code metrics_endpoint} */
    public HistoryRoutes(Path modelConfigFile) {
        this.modelConfigFile = modelConfigFile;
    }

    public List<RouteDef> routes() {
        return List.of(new RouteDef("GET", "/status/history", "One container's policy steps as this node's model keeps them "
                + "(mean CPU and peak memory per step): what the model of the node it migrated to takes over",
                List.of(new FieldDef("vmid", List.of(), "integer", true, "container ID, 100-999999999")),
                false, false, "vmid=101", this::history));
    }

    private ApiResult history(ApiCall call) {
        Fields f = call.fields();
        Integer vmid = f.vmidField("vmid", true);
        f.finish();
        String endpoint = ModelSettings.read(modelConfigFile).modelEndpoint();
        if (endpoint == null) {
            throw new ApiError(503, "The model daemon's metrics_endpoint is off (or unreadable) in " + modelConfigFile
                    + ": it serves the history there; set it (default 127.0.0.1:9105) and restart the model");
        }
        URI uri = URI.create(endpoint + "/history/" + vmid);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(MODEL_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unavailable("The model daemon does not answer at " + uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while asking the model daemon at " + uri);
        }
        String body = response.body() == null ? "" : response.body().strip();
        if (response.statusCode() == 404) {
            throw ApiError.notFound("The model on this node keeps no history of container " + vmid + " (" + body + ")");
        }
        if (response.statusCode() != 200) {
            throw unavailable("The model daemon at " + uri + " answered " + response.statusCode() + ": " + body);
        }
        JsonNode steps;
        try {
            steps = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw unavailable("The model daemon at " + uri + " answered something that is not JSON: " + e.getMessage());
        }
        return ApiResult.ok("History of container " + vmid + ": " + steps.path("cpu_cores").size() + " step(s) of "
                + steps.path("step_seconds").asInt() + " s", steps);
    }

    private static ApiError unavailable(String message) {
        return new ApiError(503, message, List.of(), Map.of("Retry-After", "60"));
    }
}
