package io.lxcautoscale.common.pveapi;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where a daemon finds the Proxmox API and how it trusts and authenticates to it: the keys {@code api_url},
 * {@code token_file}, {@code ca_file}, {@code fingerprint} and {@code timeout_seconds} of one YAML section
 * ({@code cluster.*} of the model, {@code proxmox.*} of the API daemon), read and checked the same way for both.
 *
 * @param section        the YAML section the keys were read from, named in errors (e.g. {@code cluster})
 * @param host           the Proxmox API host (from {@code api_url})
 * @param port           the Proxmox API port (from {@code api_url}, default 8006)
 * @param tokenFile      the API token file ({@code user@realm!id=secret}, mode 0600)
 * @param caFile         the cluster CA the API's certificate is checked against (when no fingerprint is pinned)
 * @param fingerprint    the SHA-256 fingerprint of the API host's certificate to pin instead; null = use {@code caFile}
 * @param timeoutSeconds one request's time limit
 */
public record PveApiSettings(String section, String host, int port, Path tokenFile, Path caFile, String fingerprint,
                             double timeoutSeconds) {
    private static final Pattern FINGERPRINT = Pattern.compile("([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}");

    /** Reads the five keys from {@code c}; an unusable value is recorded as a problem naming the key. */
    public static PveApiSettings bind(ConfigNode c) {
        String apiUrl = c.getString("api_url", "https://localhost:" + PveApiClient.DEFAULT_PORT);
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
        return new PveApiSettings(c.path(), uri == null ? "localhost" : uri.getHost(),
                uri == null || uri.getPort() < 0 ? PveApiClient.DEFAULT_PORT : uri.getPort(), tokenFile, caFile, fingerprint,
                timeout);
    }

    /**
     * A client for these settings: reads the token file and the CA file (or pins the fingerprint) now, so a missing or
     * unreadable file is a configuration error naming {@code configFile}, the key and the file it names.
     */
    public PveApiClient connect(String configFile) {
        PveApiToken token;
        PveTlsTrust trust;
        try {
            token = PveApiToken.readFile(tokenFile);
        } catch (ConfigException e) {
            throw keyError(configFile, "token_file", tokenFile, e);
        }
        if (fingerprint != null) {
            trust = PveTlsTrust.pinnedFingerprint(fingerprint);
        } else {
            try {
                trust = PveTlsTrust.caFile(caFile);
            } catch (ConfigException e) {
                throw keyError(configFile, "ca_file", caFile, e);
            }
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        return new PveApiClient(host, port, token, trust, timeout, timeout);
    }

    private ConfigException keyError(String configFile, String key, Path file, ConfigException e) {
        String keyPath = section.isEmpty() ? key : section + "." + key;
        return new ConfigException(configFile, e.problems().stream()
                .map(p -> configFile + ": key '" + keyPath + "' names " + file + ": " + p).toList());
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
