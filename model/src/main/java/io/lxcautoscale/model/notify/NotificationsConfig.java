package io.lxcautoscale.model.notify;

import io.lxcautoscale.common.config.ConfigNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code notifications.*} of the model daemon's YAML: which events, the rate limit, the digest, the queue, and
 * the four channels (each off while its address is empty).
 */
public record NotificationsConfig(Set<EventType> events, int minIntervalSeconds, boolean dailyDigest, int digestHourUtc,
                                  int queueSize, double timeoutSeconds, Webhook webhook, Ntfy ntfy, Gotify gotify, Email email) {

    /** {@code notifications.webhook}: a JSON POST to {@code url}. */
    public record Webhook(String url) {
    }

    /** {@code notifications.ntfy}: a POST to the topic URL, with an optional access token. */
    public record Ntfy(String url, String token) {
    }

    /** {@code notifications.gotify}: a POST to {@code url/message} with the application token. */
    public record Gotify(String url, String token) {
    }

    /** {@code notifications.email}: SMTP. {@code security} is {@code starttls}, {@code tls} or {@code none}. */
    public record Email(String smtpHost, int smtpPort, String security, String trustHosts, String username, String password,
                        String from, List<String> to) {
        @Override
        public String toString() {
            return "Email[" + smtpHost + ":" + smtpPort + ", " + security + ", from " + from + " to " + to + "]";
        }
    }

    /** True when at least one channel is configured. */
    public boolean anyChannel() {
        return webhook.url() != null || ntfy.url() != null || gotify.url() != null || email.smtpHost() != null;
    }

    public static NotificationsConfig bind(ConfigNode n) {
        List<String> eventKeys = n.getStringList("events", EventType.keys());
        Set<EventType> events = new LinkedHashSet<>();
        for (String k : eventKeys == null ? List.<String>of() : eventKeys) {
            if (EventType.keys().contains(k)) {
                events.add(EventType.of(k));
            } else {
                n.problem("events", k, "one of " + String.join(", ", EventType.keys()));
            }
        }
        int interval = n.getInt("min_interval_seconds", 3600, 0, 7 * 86_400);
        boolean digest = n.getBool("daily_digest", false);
        int digestHour = n.getInt("digest_hour_utc", 8, 0, 23);
        int queue = n.getInt("queue_size", 100, 1, 100_000);
        double timeout = n.getDouble("timeout_seconds", 10, 0.1, 300);

        ConfigNode w = n.section("webhook");
        Webhook webhook = new Webhook(url(w, "url"));
        ConfigNode y = n.section("ntfy");
        Ntfy ntfy = new Ntfy(url(y, "url"), blankToNull(y.getSecretString("token", null)));
        ConfigNode g = n.section("gotify");
        Gotify gotify = new Gotify(url(g, "url"), blankToNull(g.getSecretString("token", null)));
        if (gotify.url() != null && gotify.token() == null) {
            g.problem("token", null, "an application token when gotify.url is set");
        }

        ConfigNode e = n.section("email");
        String host = blankToNull(e.getString("smtp_host", null));
        int port = e.getInt("smtp_port", 587, 1, 65_535);
        String security = e.getChoice("security", "starttls", List.of("starttls", "tls", "none"));
        String trust = blankToNull(e.getString("trust_hosts", null));
        String user = blankToNull(e.getString("username", null));
        String password = blankToNull(e.getSecretString("password", null));
        String from = blankToNull(e.getString("from", null));
        List<String> to = e.getStringList("to", List.of());
        to = to == null ? List.of() : to;
        if (host != null) {
            if (from == null || !from.contains("@")) {
                e.problem("from", from, "a sender address (user@domain) when email.smtp_host is set");
            }
            if (to.isEmpty()) {
                e.problem("to", to, "at least one recipient address when email.smtp_host is set");
            }
        }
        for (String address : to) {
            if (!address.contains("@")) {
                e.problem("to", address, "addresses of the form user@domain");
            }
        }
        if (user != null && password == null) {
            e.problem("password", null, "a password when email.username is set");
        }
        Email email = new Email(host, port, security, trust, user, password, from, List.copyOf(to));
        return new NotificationsConfig(Set.copyOf(events), interval, digest, digestHour, queue, timeout, webhook, ntfy, gotify, email);
    }

    private static String url(ConfigNode node, String key) {
        String v = blankToNull(node.getString(key, null));
        if (v != null && !(v.startsWith("http://") || v.startsWith("https://"))) {
            node.problem(key, v, "an http:// or https:// URL");
            return null;
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
