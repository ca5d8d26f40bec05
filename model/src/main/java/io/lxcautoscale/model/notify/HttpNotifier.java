package io.lxcautoscale.model.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Sends messages as HTTP POSTs: a generic JSON webhook, ntfy (the text, with {@code Title}, {@code Priority}
 * and {@code Tags} headers) or Gotify ({@code /message?token=} with a JSON title, message and priority). Any
 * answer other than 2xx, or none within the timeout, is a failure.
 */
public final class HttpNotifier implements Notifier {
    /** The request one message becomes. */
    interface Format {
        HttpRequest.Builder request(Message m);
    }

    private final String kind;
    private final HttpClient client;
    private final Duration timeout;
    private final Format format;

    HttpNotifier(String kind, HttpClient client, Duration timeout, Format format) {
        this.kind = kind;
        this.client = client;
        this.timeout = timeout;
        this.format = format;
    }

    /** A JSON POST: {@code event, container, title, message, priority, held_back, time}. */
    public static HttpNotifier webhook(HttpClient client, Duration timeout, String url) {
        URI uri = URI.create(url);
        return new HttpNotifier("webhook", client, timeout, m -> {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("event", m.event());
            json.put("container", m.vmid());
            json.put("title", m.title());
            json.put("message", m.body());
            json.put("priority", m.priority());
            json.put("held_back", m.heldBack());
            json.put("time", m.at().toString());
            return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Jsons.write(json), StandardCharsets.UTF_8));
        });
    }

    /** ntfy: POST the text to the topic URL. */
    public static HttpNotifier ntfy(HttpClient client, Duration timeout, String topicUrl, String token) {
        URI uri = URI.create(topicUrl);
        return new HttpNotifier("ntfy", client, timeout, m -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .header("Title", ascii(m.title()))
                    .header("Priority", Integer.toString(m.priority()))
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(m.body(), StandardCharsets.UTF_8));
            if (!m.tags().isEmpty()) {
                b.header("Tags", String.join(",", m.tags()));
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b;
        });
    }

    /** Gotify: POST {@code <url>/message?token=<token>}; Gotify's priority is 0-10, here twice ntfy's 1-5. */
    public static HttpNotifier gotify(HttpClient client, Duration timeout, String url, String token) {
        URI uri = URI.create(url.replaceAll("/+$", "") + "/message?token="
                + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
        return new HttpNotifier("gotify", client, timeout, m -> {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("title", m.title());
            json.put("message", m.body());
            json.put("priority", m.priority() * 2);
            return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Jsons.write(json), StandardCharsets.UTF_8));
        });
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public void send(Message m) throws IOException, InterruptedException {
        HttpRequest request = format.request(m).timeout(timeout).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException(kind + ": HTTP " + response.statusCode() + " from " + redacted(request.uri())
                    + (body == null || body.isBlank() ? "" : ": " + body.strip().substring(0, Math.min(200, body.strip().length()))));
        }
    }

    /** The URI without its query (Gotify's token is in it). */
    static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    /** HTTP header values must be ASCII: other characters become '?'. */
    static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    /** JSON through the project's one mapper. */
    private static final class Jsons {
        static String write(Object o) {
            try {
                return io.lxcautoscale.common.json.Json.mapper().writeValueAsString(o);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
