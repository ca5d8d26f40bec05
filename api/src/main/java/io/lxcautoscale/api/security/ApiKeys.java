package io.lxcautoscale.api.security;

import io.lxcautoscale.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted API keys, held only as SHA-256 digests and compared in constant time; a key is identified in
 * logs by a short hash, never by its text. {@link #replace} swaps the whole set at once (a reload): a request is
 * checked against either the old set or the new one, never a mix.
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    /** A matched key: its short id for logs and audit. */
    public record KeyId(String id) {
    }

    private volatile List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * The keys a server with these authentication settings accepts. With authentication on, at least one key is
     * required. With it off the keys only recognise the model (whose key is exempt from the rate limit when
     * {@code rate_limiting.exempt_authenticated}); an unreadable key file then costs nothing but that.
     *
     * @throws ConfigException naming {@code configFile} or the key file when authentication is on and no key can be used
     */
    public static ApiKeys forServer(boolean authenticationEnabled, List<String> configured, Path keyFile, String configFile) {
        if (!authenticationEnabled) {
            try {
                return load(configured, keyFile);
            } catch (ConfigException e) {
                LOG.warn("authentication is off and the API key file cannot be read ({}): every client is rate limited", e.getMessage());
                return of(List.of());
            }
        }
        ApiKeys keys = load(configured, keyFile);
        if (keys.isEmpty()) {
            throw new ConfigException(configFile, List.of(configFile + ": authentication.enabled is true but there are no API keys: "
                    + "authentication.api_keys is empty and the key file " + keyFile + " is missing or has no key"));
        }
        return keys;
    }

    /** From now on accept exactly the keys of {@code newer} (which stays unchanged). */
    public void replace(ApiKeys newer) {
        digests = newer.digests;
    }

    public static ApiKeys of(List<String> keys) {
        List<byte[]> digests = new ArrayList<>();
        for (String key : keys) {
            if (!key.isBlank()) {
                digests.add(sha256(key.strip()));
            }
        }
        return new ApiKeys(digests);
    }

    /**
     * Keys from the config list plus the key file (one key per line, '#' comments and blank lines ignored).
     * A missing key file is not an error when the list has keys.
     */
    public static ApiKeys load(List<String> configured, Path keyFile) {
        List<String> keys = new ArrayList<>(configured);
        if (keyFile != null) {
            try {
                for (String line : Files.readAllLines(keyFile, StandardCharsets.UTF_8)) {
                    String key = line.strip();
                    if (key.isEmpty() || key.startsWith("#")) {
                        continue;
                    }
                    if (key.length() < 16) {
                        throw new ConfigException(keyFile.toString(), List.of(keyFile
                                + ": a key of " + key.length() + " characters is too short (at least 16)"));
                    }
                    keys.add(key);
                }
            } catch (NoSuchFileException e) {
                // fine when keys come from the YAML; the caller checks that at least one key exists
            } catch (IOException e) {
                throw new ConfigException(keyFile.toString(), List.of(keyFile + ": cannot read the API key file: " + e.getMessage()));
            }
        }
        return of(keys);
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    public int size() {
        return digests.size();
    }

    /** The id of the matching key, or null. Every configured key is compared so the time does not depend on which matched. */
    public KeyId match(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 4096) {
            return null;
        }
        byte[] digest = sha256(presented.strip());
        boolean found = false;
        for (byte[] candidate : digests) { // one read of the volatile: one whole set
            found |= MessageDigest.isEqual(candidate, digest);
        }
        return found ? new KeyId(keyId(digest)) : null;
    }

    /** The first 8 hex digits of the key's SHA-256: enough to tell keys apart in an audit log, useless to an attacker. */
    public static String keyId(String key) {
        return keyId(sha256(key.strip()));
    }

    private static String keyId(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 4);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
