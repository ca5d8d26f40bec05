package io.lxcautoscale.model;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.reload.Reloadable;
import java.io.IOException;
import java.util.List;

/**
 * What a reloaded {@code lxc_autoscale_ml.yaml} changes in the running model daemon: everything but the files it
 * holds open or locked, the sizes of the history it keeps and the circuit breakers (which keep their open/closed
 * state). The API key is read again from {@code api.api_key_file}, so a rotated key is used from the next cycle.
 *
 * <p>A changed {@code history.step_seconds} refuses the whole reload: the policy's windows are counted in steps of
 * the history the daemon holds, so no other new value could be applied consistently.
 */
final class ModelReload implements Reloadable<ModelConfig> {
    static final List<String> RESTART_ONLY = List.of("lock_file", "data_file", "suggestions_file",
            "history.raw_rows_per_container", "history.days", "history.step_seconds", "circuit_breaker", "metrics_endpoint",
            "notifications", "cluster");

    private final ModelDaemon daemon;
    private final ModelConfig started;
    private final String configFile;

    ModelReload(ModelDaemon daemon, ModelConfig started, String configFile) {
        this.daemon = daemon;
        this.configFile = configFile;
        this.started = started;
    }

    @Override
    public List<String> restartOnlyKeys() {
        return RESTART_ONLY;
    }

    @Override
    public void reload(ModelConfig config) {
        int runningStep = started.history().stepSeconds();
        if (config.history().stepSeconds() != runningStep) {
            throw new ConfigException(configFile, List.of(configFile + ": history.step_seconds changed from " + runningStep + " to "
                    + config.history().stepSeconds() + ": the history in memory is kept in steps of " + runningStep
                    + " s, so this change needs a restart; change it back to reload the other settings"));
        }
        ModelConfig next = config.keepingRestartOnly(started);
        try {
            daemon.replaceSettings(next, ModelMain.apiClient(next));
        } catch (IOException e) {
            throw new ConfigException(next.api().apiKeyFile().toString(),
                    List.of(next.api().apiKeyFile() + ": cannot read the API key file: " + e.getMessage()));
        }
    }
}
