package io.lxcautoscale.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.model.policy.Allocation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's client of the REST API: one batch fetch of all container configurations and the node
 * status per cycle, and the scaling POSTs. Sends {@code X-API-Key}; retries with exponential backoff on
 * connection errors, timeouts and 5xx, and after {@code Retry-After} on 429; no other 4xx (it will not change by retrying).
 */
public final class ApiClient {
    private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);
    /** A longer Retry-After is waited only this long (the cycle must go on). */
    static final long MAX_RETRY_AFTER_SECONDS = 60;

    /** Node size from {@code /resource/node/status}. */
    public record NodeStatus(int cpus, long memoryMb) {
    }

    /**
     * The batch fetch: usable allocations, containers whose configuration cannot be used (with why), and the
     * Proxmox node's name (null when the API does not say).
     */
    public record Configs(Map<String, Allocation> allocations, Map<String, String> unusable, String node) {
        public Configs(Map<String, Allocation> allocations, Map<String, String> unusable) {
            this(allocations, unusable, null);
        }
    }

    /** A sleeper, replaceable in tests so retries take no wall time. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String coresEndpoint;
    private final String ramEndpoint;
    private final String configsEndpoint;
    private final String nodeEndpoint;
    private final Duration timeout;
    private final Duration scaleTimeout;
    private final String apiKey;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Sleeper sleeper;

    /**
     * @param timeout      per-request timeout of the reads (and the connect timeout)
     * @param scaleTimeout per-request timeout of the scaling POSTs: must cover the API's worst case (waiting for
     *                     the container's lock, then {@code pct set} up to its timeout), or a slow change that
     *                     was applied would be reported as failed
     * @param maxAttempts attempts per call (the original's {@code retry_logic.max_retries})
     * @param retryDelay  delay before the 2nd attempt; doubled before each later one
     */
    public ApiClient(String baseUrl, String coresEndpoint, String ramEndpoint, String configsEndpoint, String nodeEndpoint,
                     Duration timeout, Duration scaleTimeout, String apiKey, int maxAttempts, Duration retryDelay, Sleeper sleeper) {
        this.baseUrl = baseUrl;
        this.coresEndpoint = coresEndpoint;
        this.ramEndpoint = ramEndpoint;
        this.configsEndpoint = configsEndpoint;
        this.nodeEndpoint = nodeEndpoint;
        this.timeout = timeout;
        this.scaleTimeout = scaleTimeout;
        this.apiKey = apiKey;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.retryDelay = retryDelay;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * The key to send: {@code api.api_key} when set, else the first key in {@code api.api_key_file} (one per
     * line, '#' comments and blank lines ignored); null (no header) when neither exists.
     */
    public static String resolveApiKey(String configured, Path keyFile) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        if (keyFile == null) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(keyFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return t;
            }
        }
        return null;
    }

    /** GET the configuration of every container on the node. */
    public Configs fetchConfigs() throws ApiException, InterruptedException {
        JsonNode data = get(configsEndpoint);
        JsonNode list = data.path("containers");
        if (!list.isArray()) {
            throw new ApiException("GET " + baseUrl + configsEndpoint + ": response has no data.containers list", 200, null);
        }
        Map<String, Allocation> allocations = new LinkedHashMap<>();
        Map<String, String> unusable = new LinkedHashMap<>();
        for (JsonNode c : list) {
            String vmid = c.path("vmid").asText("");
            if (vmid.isEmpty()) {
                continue;
            }
            JsonNode memory = c.path("memory_mb");
            JsonNode cores = c.path("cores");
            if (!memory.isNumber() || memory.asDouble() <= 0) {
                // an unknown allocation is never replaced by a guess (original F13)
                unusable.put(vmid, "memory_mb missing in the API's configuration");
                continue;
            }
            if (!cores.isNull() && !cores.isMissingNode() && !(cores.isNumber() && cores.asDouble() >= 1)) {
                unusable.put(vmid, "cores is not a positive number in the API's configuration: " + cores);
                continue;
            }
            List<String> tags = new ArrayList<>();
            c.path("tags").forEach(t -> tags.add(t.asText()));
            JsonNode lock = c.path("lock");
            JsonNode cpulimit = c.path("cpulimit");   // absent (older APIs) or 0 = no limit
            allocations.put(vmid, new Allocation(vmid, cores.isNumber() ? cores.asInt() : 0, memory.asInt(),
                    "running".equals(c.path("status").asText()), lock.isTextual() ? lock.asText() : null,
                    c.path("template").asBoolean(false), tags,
                    cpulimit.isNumber() && cpulimit.asDouble() > 0 ? cpulimit.asDouble() : 0));
        }
        JsonNode node = data.path("node");
        return new Configs(allocations, unusable, node.isTextual() && !node.asText().isBlank() ? node.asText() : null);
    }

    /** GET the node's CPU count and memory. */
    public NodeStatus fetchNode() throws ApiException, InterruptedException {
        JsonNode data = get(nodeEndpoint);
        int cpus = data.path("cpuinfo").path("cpus").asInt(0);
        long memoryBytes = data.path("memory").path("total").asLong(0);
        if (cpus <= 0 || memoryBytes <= 0) {
            throw new ApiException("GET " + baseUrl + nodeEndpoint + ": response lacks cpuinfo.cpus or memory.total", 200, null);
        }
        return new NodeStatus(cpus, memoryBytes / (1024 * 1024));
    }

    public void setCores(String vmid, int cores) throws ApiException, InterruptedException {
        post(coresEndpoint, "{\"vm_id\":" + Integer.parseInt(vmid) + ",\"cores\":" + cores + "}");
    }

    public void setMemory(String vmid, int memoryMb) throws ApiException, InterruptedException {
        post(ramEndpoint, "{\"vm_id\":" + Integer.parseInt(vmid) + ",\"memory\":" + memoryMb + "}");
    }

    private JsonNode get(String endpoint) throws ApiException, InterruptedException {
        HttpRequest request = request(endpoint).GET().build();
        JsonNode body = send(request);
        return body.path("data");
    }

    private void post(String endpoint, String json) throws ApiException, InterruptedException {
        HttpRequest request = request(endpoint).timeout(scaleTimeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        send(request);
    }

    private HttpRequest.Builder request(String endpoint) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + endpoint)).timeout(timeout)
                .header("Accept", "application/json");
        if (apiKey != null) {
            b.header("X-API-Key", apiKey);
        }
        return b;
    }

    private JsonNode send(HttpRequest request) throws ApiException, InterruptedException {
        String what = request.method() + " " + request.uri();
        ApiException last = null;
        Duration retryAfter = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleeper.sleep(retryAfter != null ? retryAfter : retryDelay.multipliedBy(1L << Math.min(20, attempt - 2)));
            }
            retryAfter = null;
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new ApiException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), 0, e);
                LOG.debug("{} (attempt {}/{})", last.getMessage(), attempt, maxAttempts);
                continue;
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    return Json.mapper().readTree(response.body());
                } catch (IOException e) {
                    throw new ApiException(what + ": response is not JSON: " + e.getMessage(), status, e);
                }
            }
            last = new ApiException(what + ": HTTP " + status + ": " + message(response.body()), status, null);
            if (status == 429) {
                // rate limited: the request was not handled, so it is safe to send again once the API allows it
                retryAfter = retryAfter(response);
                LOG.warn("{}: rate limited, retrying in {} s (attempt {}/{})", what, retryAfter.toSeconds(), attempt, maxAttempts);
                continue;
            }
            if (status < 500) {
                throw last;
            }
            LOG.debug("{} (attempt {}/{})", last.getMessage(), attempt, maxAttempts);
        }
        throw last;
    }

    /** The 429 answer's {@code Retry-After} in seconds (1–60; 1 when absent or not a number of seconds). */
    static Duration retryAfter(HttpResponse<?> response) {
        long seconds = 1;
        try {
            seconds = Long.parseLong(response.headers().firstValue("Retry-After").orElse("1").strip());
        } catch (NumberFormatException e) {
            // an HTTP date or garbage: wait the minimum
        }
        return Duration.ofSeconds(Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, seconds)));
    }

    private static String message(String body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            if (n.path("message").isTextual()) {
                return n.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show the start of the text
        }
        return body == null ? "" : body.substring(0, Math.min(200, body.length()));
    }
}
