package io.lxcautoscale.common.reload;

import java.util.List;

/**
 * A daemon part that takes a new, already validated configuration while the daemon runs ({@code systemctl reload},
 * SIGHUP). {@link ConfigReloader} calls it on its own thread; the implementation hands the change to the daemon's
 * thread, which applies it at a safe point (between cycles), so nothing a cycle holds changes under it.
 *
 * @param <C> the daemon's typed configuration record
 */
public interface Reloadable<C> {
    /**
     * Keys whose new value needs a restart and is not applied by {@link #reload}: dotted paths
     * ({@code monitoring.export_file}) or whole sections ({@code server}). A changed one is logged as
     * "needs restart" and the running value stays.
     */
    List<String> restartOnlyKeys();

    /**
     * Takes a validated configuration. Settings listed by {@link #restartOnlyKeys()} keep their running values.
     *
     * @throws io.lxcautoscale.common.config.ConfigException when the configuration cannot be used (e.g. a file it
     *         names cannot be read); nothing has been changed then
     */
    void reload(C config);
}
