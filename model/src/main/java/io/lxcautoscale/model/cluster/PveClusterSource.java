package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.proxmox.NodeName;
import io.lxcautoscale.common.pveapi.PveApiClient;
import io.lxcautoscale.common.pveapi.PveClusterResources;
import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import io.lxcautoscale.common.pveapi.PveTaskStatus;
import java.util.List;
import java.util.Map;

/**
 * The cluster's view from the Proxmox API: the guest and node entries of {@code /cluster/resources}, read through the
 * token and the TLS trust of {@code cluster.*}. Any node's API answers for the whole cluster.
 */
public final class PveClusterSource implements ClusterSource {
    private final PveApiClient client;
    private final String localNode;
    private final boolean scaleHaManaged;
    private final boolean migrate;

    /**
     * @param migrate {@code cluster.migrate}: the token then needs {@code VM.Migrate} too
     */
    public PveClusterSource(PveApiClient client, String localNode, boolean scaleHaManaged, boolean migrate) {
        this.client = client;
        this.localNode = localNode;
        this.scaleHaManaged = scaleHaManaged;
        this.migrate = migrate;
    }

    /**
     * The source a configuration describes: reads the token file and the CA file (or pins the fingerprint) now, so a
     * missing or unreadable file stops the daemon at start with a configuration error naming the configuration file,
     * the key and the file it names.
     */
    public static PveClusterSource of(ClusterConfig c, String configFile) {
        return new PveClusterSource(c.api().connect(configFile), NodeName.resolve(c.node()), c.scaleHaManaged(),
                c.migration().enabled());
    }

    /** This node's Proxmox name. */
    public String localNode() {
        return localNode;
    }

    @Override
    public Map<Integer, PveHaNodeAffinity> haNodeAffinity() {
        return client.haNodeAffinity();
    }

    @Override
    public ClusterView fetch() {
        PveClusterResources resources = client.clusterResources();
        return ClusterView.of(localNode, resources.guests(), resources.nodes(), scaleHaManaged);
    }

    /**
     * What the token lacks for cluster mode ({@code "<privilege> on <path>"}, from {@code GET /access/permissions}); the
     * model itself needs {@code VM.Audit} and {@code Sys.Audit}, the rest is for acting through the API;
     * {@code VM.Migrate} is named when {@code cluster.migrate} is on.
     */
    public List<String> missingPrivileges() {
        return client.permissions().missingForClusterMode(migrate);
    }

    /** The migration calls through this source's API client and token ({@code cluster.migrate}). */
    public Migrations.MigrationApi migrationApi() {
        return new Migrations.MigrationApi() {
            @Override
            public String startRestartMigration(String node, int vmid, String target) {
                return client.migrateWithRestart(node, vmid, target);
            }

            @Override
            public PveTaskStatus taskStatus(String node, String upid) {
                return client.taskStatus(node, upid);
            }
        };
    }

    /** The API base this source reads (for logs). */
    @Override
    public String toString() {
        return client.base() + " as node " + localNode;
    }
}
