package io.lxcautoscale.model.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.model.observe.PrometheusText;
import io.lxcautoscale.model.testing.ExpositionParser;
import io.lxcautoscale.model.testing.HttpReceiver;
import io.lxcautoscale.model.testing.SilentServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.Assertions;

/** The HTTP channels against a real local HTTP server, the rate limit, the digest and a hanging channel. */
class NotificationsTest {
    private static final Instant T0 = Instant.parse("2026-08-18T10:00:00Z");
    private final HttpReceiver receiver = new HttpReceiver();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    NotificationsTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        receiver.close();
    }

    static NotificationsConfig config(String yaml) {
        return ConfigLoader.parse("model.yaml", "notifications:\n" + yaml.indent(2), root -> NotificationsConfig.bind(root.section("notifications"))).config();
    }

    private Notifications notifications(String yaml) {
        Notifications n = Notifications.of(config(yaml));
        toClose.add(n);
        return n;
    }

    private static Event event(EventType type, String vmid, long secondsAfterT0) {
        return new Event(type, vmid, "something about " + vmid, T0.plusSeconds(secondsAfterT0));
    }

    @Test
    void webhookPostsOneJsonObjectPerMessage() throws Exception {
        Notifications n = notifications("webhook: {url: '" + receiver.url("/hook") + "'}");
        n.submit(new Event(EventType.CHANGE_APPLIED, "101", "Container 101: cores 2 -> 3", T0));
        HttpReceiver.Received r = receiver.next();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hook");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonNode json = Json.mapper().readTree(r.body());
        assertThat(json.path("event").asText()).isEqualTo("change_applied");
        assertThat(json.path("container").asText()).isEqualTo("101");
        assertThat(json.path("title").asText()).isEqualTo("lxc_autoscale_ml: change applied - container 101");
        assertThat(json.path("message").asText()).isEqualTo("Container 101: cores 2 -> 3");
        assertThat(json.path("priority").asInt()).isEqualTo(3);
        assertThat(json.path("held_back").asInt()).isZero();
        assertThat(json.path("time").asText()).isEqualTo("2026-08-18T10:00:00Z");
    }

    @Test
    void ntfyPostsTheTextWithTitlePriorityAndTagsHeaders() throws Exception {
        Notifications n = notifications("ntfy: {url: '" + receiver.url("/lxcas-alerts") + "', token: tk_secret}");
        n.submit(new Event(EventType.OOM_KILL, "102", "Container 102: 1 OOM kill(s)", T0));
        HttpReceiver.Received r = receiver.next();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/lxcas-alerts");
        assertThat(r.body()).isEqualTo("Container 102: 1 OOM kill(s)");
        assertThat(r.header("Title")).isEqualTo("lxc_autoscale_ml: OOM kill - container 102");
        assertThat(r.header("Priority")).isEqualTo("4");
        assertThat(r.header("Tags")).isEqualTo("skull");
        assertThat(r.header("Authorization")).isEqualTo("Bearer tk_secret");
    }

    @Test
    void gotifyPostsJsonToMessageWithTheToken() throws Exception {
        Notifications n = notifications("gotify: {url: '" + receiver.url("/gotify/") + "', token: 'A b&c'}");
        n.submit(new Event(EventType.API_UNREACHABLE, null, "The API cannot be reached", T0));
        HttpReceiver.Received r = receiver.next();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/gotify/message");
        assertThat(r.query()).isEqualTo("token=A+b%26c");
        JsonNode json = Json.mapper().readTree(r.body());
        assertThat(json.path("title").asText()).isEqualTo("lxc_autoscale_ml: API unreachable");
        assertThat(json.path("message").asText()).isEqualTo("The API cannot be reached");
        assertThat(json.path("priority").asInt()).isEqualTo(10);   // ntfy's 5 (max) on Gotify's 0-10
    }

    @Test
    void oneMessagePerContainerAndEventPerIntervalWithTheHeldBackCount() throws Exception {
        Notifications n = notifications("min_interval_seconds: 600\nwebhook: {url: '" + receiver.url("/hook") + "'}");
        n.submit(event(EventType.CHANGE_APPLIED, "101", 0));     // sent
        n.submit(event(EventType.CHANGE_APPLIED, "101", 60));    // held
        n.submit(event(EventType.CHANGE_APPLIED, "101", 599));   // held
        n.submit(event(EventType.CHANGE_APPLIED, "102", 60));    // other container: sent
        n.submit(event(EventType.OOM_KILL, "101", 60));          // other event type: sent
        n.submit(event(EventType.CHANGE_APPLIED, "101", 600));   // interval over: sent, says 2 were held
        List<JsonNode> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(Json.mapper().readTree(receiver.next().body()));
        }
        assertThat(got).extracting(j -> j.path("container").asText() + "/" + j.path("event").asText() + "/" + j.path("held_back").asInt())
                .containsExactly("101/change_applied/0", "102/change_applied/0", "101/oom_kill/0", "101/change_applied/2");
        assertThat(got.get(3).path("message").asText()).contains("2 more change applied message(s) for this container held back");
        assertThat(n.heldBack()).isEqualTo(2);
        assertThat(receiver.pending()).isEmpty();
    }

    @Test
    void theDailyDigestSumsUpEveryEventOnceADay() throws Exception {
        Notifications n = notifications("daily_digest: true\ndigest_hour_utc: 11\nevents: [change_applied, oom_kill]\n"
                + "min_interval_seconds: 3600\nwebhook: {url: '" + receiver.url("/hook") + "'}");
        n.tick(T0);                                              // 10:00: schedules 11:00
        n.submit(event(EventType.CHANGE_APPLIED, "101", 10));
        n.submit(event(EventType.CHANGE_APPLIED, "101", 20));    // held back, still in the digest
        n.submit(event(EventType.OOM_KILL, "103", 30));
        n.submit(event(EventType.API_BACK, null, 40));           // not in events: neither sent nor counted
        n.tick(T0.plusSeconds(3599));                            // 10:59:59: not yet
        n.tick(T0.plusSeconds(3600));                            // 11:00: the digest
        List<JsonNode> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(Json.mapper().readTree(receiver.next().body()));
        }
        JsonNode digest = got.get(2);
        assertThat(digest.path("event").asText()).isEqualTo("digest");
        assertThat(digest.path("message").asText())
                .contains("2 × change applied (containers 101)")
                .contains("1 × OOM kill (containers 103)")
                .doesNotContain("API");
        n.tick(T0.plusSeconds(3600 + 86_399));                   // the next one is a day later
        n.tick(T0.plusSeconds(3600 + 86_400));
        JsonNode next = Json.mapper().readTree(receiver.next().body());
        assertThat(next.path("message").asText()).endsWith("no events.");
    }

    @Test
    void aFailingChannelIsCountedAndTheOthersStillGetTheMessage() throws Exception {
        receiver.status("/broken", 500);
        Notifications n = notifications("webhook: {url: '" + receiver.url("/broken") + "'}\nntfy: {url: '" + receiver.url("/topic") + "'}");
        n.submit(event(EventType.CHANGE_FAILED, "101", 0));
        List<String> paths = List.of(receiver.next().path(), receiver.next().path());
        assertThat(paths).containsExactly("/broken", "/topic");
        waitFor(() -> n.sent("ntfy") == 1 && n.failed("webhook") == 1);
        PrometheusText out = new PrometheusText();
        n.writeTo(out);
        ExpositionParser.Scrape s = ExpositionParser.parse(out.text());
        assertThat(s.value("lxcas_notifications_failed_total", "kind", "webhook")).isEqualTo(1);
        assertThat(s.value("lxcas_notifications_sent_total", "kind", "ntfy")).isEqualTo(1);
        assertThat(s.value("lxcas_notifications_dropped_total")).isZero();
    }

    /**
     * A channel that accepts the connection and never answers: submitting never waits for it. The sending
     * thread is held inside the first message (the server saw its connection) before the others are
     * submitted, so with a queue of 1 exactly one waits and the rest are dropped and counted.
     */
    @Test
    void aHangingChannelNeverDelaysTheSubmitterAndOverflowIsDropped() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            // a timeout far longer than the test may take: if submit waited for the channel it would show
            Notifications n = notifications("queue_size: 1\ntimeout_seconds: 300\nmin_interval_seconds: 0\n"
                    + "webhook: {url: 'http://127.0.0.1:" + silent.port() + "/hook'}");
            n.submit(event(EventType.CHANGE_APPLIED, "100", 0));
            assertThat(silent.awaitConnection()).as("the channel was called").isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 1; i <= 50; i++) {
                    n.submit(event(EventType.CHANGE_APPLIED, Integer.toString(100 + i), i));
                }
            });
            assertThat(n.dropped()).isEqualTo(49);   // 50 submitted while one is being sent: 1 waits, 49 dropped
            assertThat(n.sent("webhook")).isZero();
        }
    }

    /** The channel's own timeout ends a delivery to a peer that never answers. */
    @Test
    void aDeliveryToASilentPeerEndsAtTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            HttpNotifier hook = HttpNotifier.webhook(java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(1),
                    "http://127.0.0.1:" + silent.port() + "/hook");
            Message m = new Message("change_applied", "101", "t", "b", 3, List.of(), 0, T0);
            Assertions.assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> hook.send(m)))
                    .isInstanceOf(java.net.http.HttpTimeoutException.class);
        }
    }

    @Test
    void configErrorsNameFileKeyAndReason() {
        Assertions.assertThatThrownBy(() -> config("events: [change_applied, reboot]\nwebhook: {url: 'ftp://x'}\n"
                        + "gotify: {url: 'https://g.example.org'}\nemail: {smtp_host: mail.example.org, to: [nobody], security: ssl}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.yaml")
                .hasMessageContaining("notifications.events").hasMessageContaining("reboot")
                .hasMessageContaining("notifications.webhook.url").hasMessageContaining("http:// or https://")
                .hasMessageContaining("notifications.gotify.token")
                .hasMessageContaining("notifications.email.from")
                .hasMessageContaining("notifications.email.to")
                .hasMessageContaining("notifications.email.security");
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));   // polling, not a timing assumption
        }
    }
}
