package io.lxcautoscale.common.cli;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into {@link Daemon#stop()} so that {@code run()} returns and the process exits
 * with the daemon's own exit code (0 after a clean stop) rather than the JVM's 143.
 *
 * <p>systemd's {@code systemctl stop} sends SIGTERM; exiting 0 keeps the unit out of the "failed" state
 * without a {@code SuccessExitStatus=143} line. Previous handlers are restored on close.
 */
final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    static StopSignals install(String daemonName, Daemon daemon) {
        StopSignals installed = new StopSignals();
        for (String name : List.of("TERM", "INT")) {
            Signal signal = new Signal(name);
            SignalHandler handler = s -> {
                LOG.info("{} stopping (SIG{} received)", daemonName, s.getName());
                daemon.stop();
            };
            try {
                installed.previous.add(Signal.handle(signal, handler));
                installed.signals.add(signal);
            } catch (IllegalArgumentException unsupported) {
                LOG.debug("cannot handle SIG{} here; the JVM default applies", name);
            }
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
