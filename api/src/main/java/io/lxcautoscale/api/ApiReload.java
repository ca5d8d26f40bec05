package io.lxcautoscale.api;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.security.ApiKeys;
import io.lxcautoscale.common.reload.Reloadable;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reloaded {@code lxc_autoscale_api.yaml} changes in the running API: the accepted keys
 * ({@code authentication.api_keys} and the key file, read again), so keys rotate without a restart; logging is set up
 * again by the common reloader. Every other setting needs a restart.
 */
final class ApiReload implements Reloadable<ApiConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiReload.class);
    static final List<String> RESTART_ONLY = List.of("server", "lxc", "limits", "rate_limiting", "authentication.enabled",
            "authentication.open_routes", "authentication.allow_unauthenticated_remote", "audit", "logging.access_log",
            "error_handling", "status", "proxmox");

    private final ApiKeys keys;
    private final boolean authenticationEnabled;
    private final String configFile;

    /**
     * @param keys                  the running server's keys, replaced in place
     * @param authenticationEnabled the running server's {@code authentication.enabled} (restart-only)
     * @param configFile            named in the error when no key is left
     */
    ApiReload(ApiKeys keys, boolean authenticationEnabled, String configFile) {
        this.keys = keys;
        this.authenticationEnabled = authenticationEnabled;
        this.configFile = configFile;
    }

    @Override
    public List<String> restartOnlyKeys() {
        return RESTART_ONLY;
    }

    @Override
    public void reload(ApiConfig config) {
        ApiConfig.Authentication auth = config.authentication();
        ApiKeys newer = ApiKeys.forServer(authenticationEnabled, auth.apiKeys(), auth.apiKeyFile(), configFile);
        int before = keys.size();
        keys.replace(newer);
        LOG.info("API keys reloaded from authentication.api_keys and {}: {} key(s) accepted (was {})", auth.apiKeyFile(),
                newer.size(), before);
    }
}
