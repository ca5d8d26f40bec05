package io.lxcautoscale.model.notify;

/** One delivery channel. {@link #send} may block up to the configured timeout, never longer; it throws when not delivered. */
public interface Notifier {
    /** {@code webhook}, {@code ntfy}, {@code gotify} or {@code email}: the metrics' {@code kind} label. */
    String kind();

    void send(Message m) throws Exception;
}
