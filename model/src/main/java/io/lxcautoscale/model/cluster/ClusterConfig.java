package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.config.ConfigNode;
import io.lxcautoscale.common.pveapi.PveApiSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code cluster.*} of the model daemon's YAML: whether the daemon reads the Proxmox cluster's view
 * ({@code GET /cluster/resources}) each cycle, where the Proxmox API is, how it is trusted and authenticated, and
 * the rules the view applies (docs/cluster.md).
 *
 * @param enabled        read the cluster view each cycle; off = the daemon sees only its own host
 * @param node           this node's Proxmox name; null = this host's name ({@link io.lxcautoscale.common.proxmox.NodeName})
 * @param host           the Proxmox API host (from {@code api_url})
 * @param port           the Proxmox API port (from {@code api_url}, default 8006)
 * @param tokenFile      the API token file ({@code user@realm!id=secret}, mode 0600)
 * @param caFile         the cluster CA the API's certificate is checked against (when no fingerprint is pinned)
 * @param fingerprint    the SHA-256 fingerprint of the API host's certificate to pin instead; null = use {@code caFile}
 * @param timeoutSeconds one request's time limit
 * @param scaleHaManaged decide for HA-managed containers too
 * @param noMigrateTag   a container with this Proxmox tag gets no placement recommendation
 * @param migration      the opt-in migrations ({@code cluster.migrate} and the keys that go with it)
 * @param history        where a migrated container's history is fetched from ({@code cluster.follow_history} and the
 *                       keys that go with it)
 */
public record ClusterConfig(boolean enabled, String node, String host, int port, Path tokenFile, Path caFile, String fingerprint,
                            double timeoutSeconds, boolean scaleHaManaged, String noMigrateTag, Migration migration,
                            PeerHistory history) {
    /**
     * Taking over a migrated container's steps from the model of the node it came from, through that node's API
     * daemon ({@code GET /status/history?vmid=N}, with this model's {@code api.api_key}; docs/cluster.md).
     *
     * @param follow      {@code cluster.follow_history}: fetch them at all (default on)
     * @param urlTemplate {@code cluster.peer_api_url}: the other nodes' API daemons, {@code {node}} replaced by the node's name
     * @param urls        {@code cluster.peer_api_urls}: per-node exceptions to the template ({@code NODE=URL} entries)
     */
    public record PeerHistory(boolean follow, String urlTemplate, Map<String, String> urls) {
        public static final String DEFAULT_TEMPLATE = "http://{node}:5000";

        /** The API daemon of {@code node}, without a trailing slash. */
        public String apiUrl(String node) {
            String url = urls.getOrDefault(node, urlTemplate.replace("{node}", node));
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    /**
     * The opt-in restart-mode migrations of recommended containers (docs/cluster.md).
     *
     * @param enabled                 {@code cluster.migrate}: start migrations at all (default off)
     * @param window                  {@code cluster.maintenance_window}, host's local time; null when unset
     * @param maxPerWindow            {@code cluster.max_migrations_per_window}
     * @param taskTimeoutSeconds      {@code cluster.migration_timeout_seconds}: how long a task is followed before it is
     *                                journaled as failed (the task itself is not stopped)
     */
    public record Migration(boolean enabled, MaintenanceWindow window, int maxPerWindow, int taskTimeoutSeconds) {
        public static final Migration OFF = new Migration(false, null, 1, 3600);
    }

    /** The Proxmox API's port on every node. */
    public static final int PROXMOX_PORT = 8006;
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_+.\\-]*");

    public static ClusterConfig bind(ConfigNode c) {
        boolean enabled = c.getBool("enabled", false);
        String node = blankToNull(c.getString("node", null));
        if (node != null && !NODE_NAME.matcher(node).matches()) {
            c.problem("node", node, "a Proxmox node name (letters, digits, '.' and '-'), or empty for this host's name");
            node = null;
        }
        PveApiSettings api = PveApiSettings.bind(c);
        boolean scaleHa = c.getBool("scale_ha_managed", true);
        String tag = c.getString("no_migrate_tag", "autoscale-no-migrate");
        if (tag == null || !TAG.matcher(tag).matches()) {
            c.problem("no_migrate_tag", tag, "a Proxmox tag (letters, digits and _ + . -)");
            tag = "autoscale-no-migrate";
        }
        return new ClusterConfig(enabled, node, api.host(), api.port(), api.tokenFile(), api.caFile(), api.fingerprint(),
                api.timeoutSeconds(), scaleHa, tag, bindMigration(c), bindHistory(c));
    }

    private static PeerHistory bindHistory(ConfigNode c) {
        boolean follow = c.getBool("follow_history", true);
        String template = c.getString("peer_api_url", PeerHistory.DEFAULT_TEMPLATE);
        if (template == null || !template.contains("{node}") || !isHttpUrl(template.replace("{node}", "node"))) {
            c.problem("peer_api_url", template, "an http:// or https:// URL with {node} where the node's name goes "
                    + "(e.g. " + PeerHistory.DEFAULT_TEMPLATE + ")");
            template = PeerHistory.DEFAULT_TEMPLATE;
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (String entry : c.getStringList("peer_api_urls", List.of())) {
            int eq = entry.indexOf('=');
            String node = eq < 0 ? "" : entry.substring(0, eq).strip();
            String url = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (!NODE_NAME.matcher(node).matches() || !isHttpUrl(url)) {
                c.problem("peer_api_urls", entry, "NODE=URL with a Proxmox node name and an http:// or https:// URL "
                        + "(e.g. pve2=http://10.0.0.12:5000)");
            } else if (urls.putIfAbsent(node, url) != null) {
                c.problem("peer_api_urls", entry, "one entry per node (" + node + " is listed twice)");
            }
        }
        return new PeerHistory(follow, template, Map.copyOf(urls));
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Migration bindMigration(ConfigNode c) {
        boolean migrate = c.getBool("migrate", false);
        String text = blankToNull(c.getString("maintenance_window", null));
        MaintenanceWindow window = null;
        if (text != null) {
            window = MaintenanceWindow.parse(text).orElse(null);
            if (window == null) {
                c.problem("maintenance_window", text, "HH:MM-HH:MM in the host's local time with two different times "
                        + "(e.g. 02:00-04:00; 23:00-01:00 crosses midnight)");
            }
        } else if (migrate) {
            c.problem("maintenance_window", "", "a window HH:MM-HH:MM (e.g. 02:00-04:00) when cluster.migrate is true");
        }
        int max = c.getInt("max_migrations_per_window", Migration.OFF.maxPerWindow(), 1, 100);
        int timeout = c.getInt("migration_timeout_seconds", Migration.OFF.taskTimeoutSeconds(), 60, 86_400);
        return new Migration(migrate, window, max, timeout);
    }

    /** The Proxmox API settings of this section ({@code cluster.api_url}, {@code token_file}, ...). */
    public PveApiSettings api() {
        return new PveApiSettings("cluster", host, port, tokenFile, caFile, fingerprint, timeoutSeconds);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
