package io.lxcautoscale.model.cluster;

import io.lxcautoscale.common.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
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
 */
public record ClusterConfig(boolean enabled, String node, String host, int port, Path tokenFile, Path caFile, String fingerprint,
                            double timeoutSeconds, boolean scaleHaManaged, String noMigrateTag) {
    /** The Proxmox API's port on every node. */
    public static final int PROXMOX_PORT = 8006;
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]*");
    private static final Pattern FINGERPRINT = Pattern.compile("([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_+.\\-]*");

    public static ClusterConfig bind(ConfigNode c) {
        boolean enabled = c.getBool("enabled", false);
        String node = blankToNull(c.getString("node", null));
        if (node != null && !NODE_NAME.matcher(node).matches()) {
            c.problem("node", node, "a Proxmox node name (letters, digits, '.' and '-'), or empty for this host's name");
            node = null;
        }
        String apiUrl = c.getString("api_url", "https://localhost:" + PROXMOX_PORT);
        URI uri = apiUri(apiUrl);
        if (uri == null) {
            c.problem("api_url", apiUrl, "an https:// URL of a Proxmox node's API, e.g. https://localhost:8006");
        }
        Path tokenFile = c.getPath("token_file", "/etc/lxc_autoscale_ml/pve_api_token");
        Path caFile = c.getPath("ca_file", "/etc/pve/pve-root-ca.pem");
        String fingerprint = blankToNull(c.getString("fingerprint", null));
        if (fingerprint != null && !FINGERPRINT.matcher(fingerprint).matches()) {
            c.problem("fingerprint", fingerprint, "the SHA-256 fingerprint of the API host's certificate (64 hex digits, "
                    + "colons optional, as 'pvenode cert info' prints it), or empty to check against ca_file");
            fingerprint = null;
        }
        double timeout = c.getDouble("timeout_seconds", 10, 0.1, 300);
        boolean scaleHa = c.getBool("scale_ha_managed", true);
        String tag = c.getString("no_migrate_tag", "autoscale-no-migrate");
        if (tag == null || !TAG.matcher(tag).matches()) {
            c.problem("no_migrate_tag", tag, "a Proxmox tag (letters, digits and _ + . -)");
            tag = "autoscale-no-migrate";
        }
        return new ClusterConfig(enabled, node, uri == null ? "localhost" : uri.getHost(),
                uri == null || uri.getPort() < 0 ? PROXMOX_PORT : uri.getPort(), tokenFile, caFile, fingerprint, timeout,
                scaleHa, tag);
    }

    /** {@code https://host[:port][/api2/json]}, or null when it is not one. */
    private static URI apiUri(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text.strip());
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            boolean ok = "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getUserInfo() == null
                    && uri.getQuery() == null && uri.getFragment() == null && (path.isEmpty() || path.equals("/api2/json"));
            return ok ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
