package io.lxcautoscale.common.pveapi;

import io.lxcautoscale.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Proxmox API token: the full token id {@code user@realm!tokenid} and its secret. It is sent as
 * {@code Authorization: PVEAPIToken=user@realm!tokenid=secret}. The secret never appears in {@link #toString()}.
 */
public final class PveApiToken {
    private static final Pattern TOKEN_ID = Pattern.compile("[^\\s@!=]+@[^\\s@!=]+![A-Za-z][A-Za-z0-9.\\-_]+");
    private static final Set<PosixFilePermission> ALLOWED_MODE =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final String tokenId;
    private final String secret;

    private PveApiToken(String tokenId, String secret) {
        this.tokenId = tokenId;
        this.secret = secret;
    }

    /**
     * Reads a token file: one line {@code user@realm!tokenid=secret} (the value of the Authorization header after
     * {@code PVEAPIToken=}). The file must have mode 0600, since anybody who reads it can act as the autoscaler.
     */
    public static PveApiToken readFile(Path file) {
        String where = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where, List.of("API token file does not exist or is not a regular file"));
        }
        Set<PosixFilePermission> mode;
        String text;
        try {
            mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException(where, List.of("cannot read API token file: " + e.getMessage()));
        }
        if (!mode.equals(ALLOWED_MODE)) {
            throw new ConfigException(where, List.of("API token file has mode " + octal(mode) + " ("
                    + PosixFilePermissions.toString(mode) + "); it must be 0600 (owner read/write only): chmod 600 " + where));
        }
        return parse(where, text.strip());
    }

    static PveApiToken parse(String where, String value) {
        int split = value.lastIndexOf('=');
        if (split <= 0 || split == value.length() - 1 || value.contains("\n")) {
            throw new ConfigException(where, List.of("API token must be one line 'user@realm!tokenid=secret'"));
        }
        String id = value.substring(0, split);
        if (!TOKEN_ID.matcher(id).matches()) {
            throw new ConfigException(where, List.of("API token id '" + id + "' is not of the form user@realm!tokenid"));
        }
        return new PveApiToken(id, value.substring(split + 1));
    }

    /** The full token id, {@code user@realm!tokenid}. */
    public String tokenId() {
        return tokenId;
    }

    /** The value of the {@code Authorization} header. */
    String authorizationHeader() {
        return "PVEAPIToken=" + tokenId + "=" + secret;
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("0%03o", bits);
    }

    @Override
    public String toString() {
        return "PveApiToken[" + tokenId + "]";
    }
}
