package io.lxcautoscale.model.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.model.history.StepHistory;
import io.lxcautoscale.model.history.StepHistoryJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Fetches a container's steps from another node's API daemon: {@code GET <peer>/status/history?vmid=N} with this
 * model's API key ({@code X-API-Key}), the peer found through {@code cluster.peer_api_url} /
 * {@code cluster.peer_api_urls}. 200 = the steps (the envelope's {@code data}); 404 = none there; anything else (or no answer) = ask again later.
 * An {@code https://} peer is checked against the JVM's trust store.
 */
public final class PeerApiHistory implements HistoryHandOff.PeerSource {
    private final ClusterConfig.PeerHistory peers;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    /** @param apiKey the key sent to the peers (the same API key on every node); null = none */
    public PeerApiHistory(ClusterConfig.PeerHistory peers, String apiKey, Duration timeout) {
        this.peers = peers;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<StepHistory> fetch(String node, String vmid) throws IOException {
        URI uri = URI.create(peers.apiUrl(node) + "/status/history?vmid=" + vmid);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
        if (apiKey != null) {
            b.header("X-API-Key", apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        try {
            JsonNode envelope = Json.mapper().readTree(response.body());
            return Optional.of(StepHistoryJson.read(vmid, envelope.path("data")));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(uri + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public String toString() {
        return "the other nodes' API daemons (" + peers.urlTemplate() + ")";
    }
}
