package io.lxcautoscale.model.notify;

import io.lxcautoscale.model.observe.MetricsSource;
import io.lxcautoscale.model.observe.PrometheusText;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model daemon's notifications: events from the cycle pass the event filter and the rate limit, become
 * messages and wait in a bounded queue that one background thread drains, sending each to every channel.
 * {@link #submit} never blocks: when the queue is full the message is dropped and counted; a channel that
 * fails or hangs (up to its timeout) delays only the thread, never a cycle.
 */
public final class Notifications implements MetricsSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final NotificationsConfig config;
    private final List<Notifier> notifiers;
    private final RateLimit rateLimit;
    private final DailyDigest digest;
    private final BlockingQueue<Message> queue;
    private final Thread worker;
    private final Map<String, AtomicLong> sent = new TreeMap<>();
    private final Map<String, AtomicLong> failed = new TreeMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong heldBack = new AtomicLong();

    public Notifications(NotificationsConfig config, List<Notifier> notifiers) {
        this.config = config;
        this.notifiers = List.copyOf(notifiers);
        this.rateLimit = new RateLimit(Duration.ofSeconds(config.minIntervalSeconds()));
        this.digest = config.dailyDigest() ? new DailyDigest(config.digestHourUtc()) : null;
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        for (Notifier n : this.notifiers) {
            sent.put(n.kind(), new AtomicLong());
            failed.put(n.kind(), new AtomicLong());
        }
        if (this.notifiers.isEmpty()) {
            worker = null;
        } else {
            worker = new Thread(this::drain, "notifications");
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** The channels {@code config} sets up (none when no address is configured). */
    public static Notifications of(NotificationsConfig config) {
        Duration timeout = Duration.ofMillis((long) (config.timeoutSeconds() * 1000));
        List<Notifier> notifiers = new ArrayList<>();
        boolean anyHttp = config.webhook().url() != null || config.ntfy().url() != null || config.gotify().url() != null;
        // an HttpClient starts a selector thread: only when a channel needs it
        HttpClient http = anyHttp ? HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build() : null;
        if (config.webhook().url() != null) {
            notifiers.add(HttpNotifier.webhook(http, timeout, config.webhook().url()));
        }
        if (config.ntfy().url() != null) {
            notifiers.add(HttpNotifier.ntfy(http, timeout, config.ntfy().url(), config.ntfy().token()));
        }
        if (config.gotify().url() != null) {
            notifiers.add(HttpNotifier.gotify(http, timeout, config.gotify().url(), config.gotify().token()));
        }
        if (config.email().smtpHost() != null) {
            notifiers.add(new MailNotifier(config.email(), timeout));
        }
        return new Notifications(config, notifiers);
    }

    /** Queues a message for the event unless its type is not wanted or the rate limit holds it back; never blocks. */
    public void submit(Event e) {
        if (notifiers.isEmpty() || !config.events().contains(e.type())) {
            return;
        }
        if (digest != null) {
            digest.count(e);
        }
        int held = rateLimit.admit(e);
        if (held < 0) {
            heldBack.incrementAndGet();
            return;
        }
        String title = "lxc_autoscale_ml: " + e.type().title() + (e.vmid() == null ? "" : " - container " + e.vmid());
        String body = e.text() + (held == 0 ? "" : "\n(" + held + " more " + e.type().title() + " message(s) for this "
                + (e.vmid() == null ? "node" : "container") + " held back since the last one)");
        offer(new Message(e.type().key(), e.vmid(), title, body, e.type().priority(), List.of(e.type().tag()), held, e.at()));
    }

    /** Once per cycle: sends the daily digest when it is due. */
    public void tick(Instant now) {
        if (digest != null && !notifiers.isEmpty()) {
            Message m = digest.due(now);
            if (m != null) {
                offer(m);
            }
        }
    }

    /** Forgets the rate-limit state of containers that are gone. */
    public void retain(Collection<String> vmids) {
        rateLimit.forgetOthers(vmids);
    }

    private void offer(Message m) {
        if (!queue.offer(m)) {
            long n = dropped.incrementAndGet();
            LOG.warn("notification queue full ({} waiting): dropped '{}' ({} dropped so far)", config.queueSize(), m.title(), n);
        }
    }

    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            Message m;
            try {
                m = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            for (Notifier n : notifiers) {
                try {
                    n.send(m);
                    sent.get(n.kind()).incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failed.get(n.kind()).incrementAndGet();
                    LOG.warn("notification '{}' not sent by {}: {}", m.title(), n.kind(), e.toString());
                }
            }
        }
    }

    public long sent(String kind) {
        AtomicLong n = sent.get(kind);
        return n == null ? 0 : n.get();
    }

    public long failed(String kind) {
        AtomicLong n = failed.get(kind);
        return n == null ? 0 : n.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long heldBack() {
        return heldBack.get();
    }

    @Override
    public void writeTo(PrometheusText out) {
        out.family("lxcas_notifications_sent_total", "counter", "Messages delivered, per channel kind.");
        sent.forEach((kind, n) -> out.sample(n.get(), "kind", kind));
        out.family("lxcas_notifications_failed_total", "counter", "Messages a channel failed to deliver (error or timeout), per kind.");
        failed.forEach((kind, n) -> out.sample(n.get(), "kind", kind));
        out.family("lxcas_notifications_dropped_total", "counter", "Messages dropped because the queue was full.");
        out.sample(dropped.get());
        out.family("lxcas_notifications_held_back_total", "counter", "Messages held back by the per-container, per-event rate limit.");
        out.sample(heldBack.get());
    }

    /** Stops the sending thread without waiting for it (a message being sent is abandoned). */
    @Override
    public void close() {
        if (worker != null) {
            worker.interrupt();
        }
    }
}
