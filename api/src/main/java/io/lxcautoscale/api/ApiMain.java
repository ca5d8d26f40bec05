package io.lxcautoscale.api;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.http.ApiServer;
import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.DaemonCommand;
import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.reload.Reloadable;
import io.lxcautoscale.common.pveapi.PveApiClient;
import io.lxcautoscale.common.pveapi.PveApiException;
import io.lxcautoscale.common.pveapi.PveApiSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/** Entry point of {@code lxc_autoscale_api}, the REST API that applies scaling and snapshot operations with {@code pct}. */
@Command(name = "lxc_autoscale_api", mixinStandardHelpOptions = true, versionProvider = DaemonCommand.VersionProvider.class,
        description = "REST API on port 5000 (default 127.0.0.1) that scales, snapshots, clones and reports Proxmox LXC containers.")
public final class ApiMain extends DaemonCommand<ApiConfig> {
    public static void main(String[] args) {
        // Every request that acts runs pct; the JDK's default posix_spawn goes through the jspawnhelper
        // program (two execs per command). vfork execs pct directly. An explicit -D setting wins.
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
        System.exit(DaemonCommand.execute(new ApiMain(), args));
    }

    @Override
    protected String daemonName() {
        return "lxc_autoscale_api";
    }

    @Override
    protected Path defaultConfigPath() {
        return Path.of("/etc/lxc_autoscale_ml/lxc_autoscale_api.yaml");
    }

    @Override
    protected String configEnvVar() {
        return "LXC_AUTOSCALE_API_CONFIG";
    }

    @Override
    protected ApiConfig bind(ConfigNode root) {
        return ApiConfig.bind(root);
    }

    @Override
    protected LoggingConfig logging(ApiConfig config) {
        return config.logging();
    }

    @Override
    protected Path lockFile(ApiConfig config) {
        return null; // the listening port already guarantees a single instance
    }

    @Override
    protected Reloadable<ApiConfig> reloadable(Daemon daemon, ApiConfig config) {
        return new ApiReload(((ApiServer) daemon).keys(), config.authentication().enabled(), resolveConfigPath().toString());
    }

    /**
     * With {@code proxmox.backend: api}: the token and CA files can be read, the Proxmox API answers, and the token holds
     * every privilege the API daemon needs ({@code GET /access/permissions}); each gap is named.
     */
    @Override
    protected List<String> checkBeyondFile(ApiConfig config, String configFile) {
        if (!config.proxmox().throughApi()) {
            return List.of();
        }
        PveApiSettings api = config.proxmox().api();
        PveApiClient client = api.connect(configFile);
        try {
            return client.permissions().missingForClusterMode(false).stream()
                    .map(m -> configFile + ": the Proxmox API token in proxmox.token_file (" + api.tokenFile() + ") lacks " + m
                            + " (docs/cluster.md: the role and how to grant it)")
                    .toList();
        } catch (PveApiException e) {
            return List.of(configFile + ": proxmox.api_url " + client.base() + " cannot be used: " + e.getMessage());
        }
    }

    @Override
    protected Daemon create(ApiConfig config) {
        return ApiServer.create(config, resolveConfigPath().toString());
    }
}
