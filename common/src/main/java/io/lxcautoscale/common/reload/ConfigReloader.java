package io.lxcautoscale.common.reload;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Re-reads and validates a daemon's configuration file on SIGHUP ({@code systemctl reload}) and hands a valid one
 * to the daemon's {@link Reloadable}; an invalid one is logged with the message {@code --check-config} prints and
 * the running settings stay.
 *
 * <p>The signal handler only queues the work: reading, validating and handing over run on one thread of this
 * class, one reload at a time, in the order the signals came.
 *
 * @param <C> the daemon's typed configuration record
 */
public final class ConfigReloader<C> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
    private static final Signal HANGUP = new Signal("HUP");

    private final String daemonName;
    private final Supplier<ConfigLoader.Loaded<C>> load;
    private final ConfigLoader.Loaded<C> started;
    private final Reloadable<C> target;
    private final Consumer<C> afterReload;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "config-reload");
        t.setDaemon(true);
        return t;
    });
    private SignalHandler previous;

    /**
     * @param daemonName  the name {@code --check-config} puts before its messages
     * @param load        reads and validates the file, throwing {@link ConfigException} as at start-up
     * @param started     the configuration the daemon started with; restart-only keys are compared against it
     * @param target      takes a valid configuration
     * @param afterReload runs after {@code target} took it (e.g. logging set up again from it)
     */
    public ConfigReloader(String daemonName, Supplier<ConfigLoader.Loaded<C>> load, ConfigLoader.Loaded<C> started,
                          Reloadable<C> target, Consumer<C> afterReload) {
        this.daemonName = daemonName;
        this.load = load;
        this.started = started;
        this.target = target;
        this.afterReload = afterReload;
    }

    /** Reloads on every SIGHUP from now on, until {@link #close()}; returns this. */
    public ConfigReloader<C> onHangup() {
        try {
            previous = Signal.handle(HANGUP, s -> request());
        } catch (IllegalArgumentException unsupported) {
            LOG.warn("SIGHUP cannot be handled here; reload needs a restart");
        }
        return this;
    }

    /** Queues one reload on this reloader's thread; safe to call from a signal handler. */
    public void request() {
        LOG.info("{}: reloading the configuration (SIGHUP received)", daemonName);
        thread.execute(this::reloadNow);
    }

    /** Reads, validates and hands over the file now, on the calling thread; true when the new settings were taken. */
    public boolean reloadNow() {
        ConfigLoader.Loaded<C> loaded;
        try {
            loaded = load.get();
            for (String warning : loaded.warnings()) {
                LOG.warn(warning);
            }
            target.reload(loaded.config());
        } catch (ConfigException e) {
            LOG.error("configuration reload refused; the running settings stay:");
            LOG.error("{}: {}", daemonName, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.error("configuration reload failed; the running settings stay: {}", e.toString(), e);
            return false;
        }
        afterReload.accept(loaded.config());
        List<RestartOnlyChanges.Change> fixed = RestartOnlyChanges.between(started.effective(), loaded.effective(), target.restartOnlyKeys());
        for (RestartOnlyChanges.Change change : fixed) {
            LOG.warn("{}", change);
        }
        LOG.info("{}: configuration reloaded{}", daemonName, fixed.isEmpty() ? "" : " (" + fixed.size() + " setting(s) need a restart, see above)");
        return true;
    }

    /** Restores the previous SIGHUP handler and ends the reload thread. */
    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(HANGUP, previous);
        }
        thread.shutdownNow();
    }
}
