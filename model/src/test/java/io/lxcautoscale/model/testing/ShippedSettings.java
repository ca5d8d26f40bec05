package io.lxcautoscale.model.testing;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.testing.EtcDefaults;
import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.policy.PolicySettings;

/**
 * The policy settings of the shipped {@code etc/lxc_autoscale_ml.yaml}, bound by the daemon's own
 * configuration code, so policy tests run with what users get rather than with a hand-written copy.
 */
public final class ShippedSettings {
    private static PolicySettings policy;

    private ShippedSettings() {
    }

    /** {@code scaling.*} and {@code node.*} of the shipped file (300-second steps, as shipped). */
    public static synchronized PolicySettings policy() {
        if (policy == null) {
            ConfigLoader.Loaded<ModelConfig> loaded = ConfigLoader.load(EtcDefaults.etcFile("lxc_autoscale_ml.yaml"), ModelConfig::bind);
            policy = loaded.config().policy();
        }
        return policy;
    }

    /**
     * The settings of a file holding only {@code yaml}: the shipped ones with those keys changed (a key left out
     * takes the code's default, which {@code ModelConfigTest} proves is the shipped file's value).
     */
    public static PolicySettings policyWith(String yaml) {
        return ConfigLoader.parse("test.yaml", yaml, ModelConfig::bind).config().policy();
    }
}
