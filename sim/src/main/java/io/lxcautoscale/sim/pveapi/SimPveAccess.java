package io.lxcautoscale.sim.pveapi;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one API token the simulated cluster accepts and its ACLs: privileges granted per path, propagating to child
 * paths, where a deeper ACL entry replaces what is inherited (Proxmox's rule). With privilege separation (Proxmox's
 * default for tokens) the effective privileges on a path are those both the token and its user hold there; until a
 * user ACL is given ({@link #grantUser}), the user is taken to hold everything the token holds.
 */
public final class SimPveAccess {
    private static final Pattern TOKEN_HEADER = Pattern.compile("(?:^|\\s)PVEAPIToken(?:=| )([^;]*)");
    private final String tokenId;
    private final String secret;
    private final Map<String, Set<String>> acl = new TreeMap<>();
    private final Map<String, Set<String>> userAcl = new TreeMap<>();

    public SimPveAccess(String tokenId, String secret) {
        this.tokenId = tokenId;
        this.secret = secret;
    }

    /** Grants exactly these privileges on {@code path} and below (replacing an earlier grant on the same path). */
    public synchronized SimPveAccess grant(String path, Set<String> privileges) {
        acl.put(path, Set.copyOf(privileges));
        return this;
    }

    /** Grants the token's user these privileges on {@code path} and below (replacing an earlier grant there). */
    public synchronized SimPveAccess grantUser(String path, Set<String> privileges) {
        userAcl.put(path, Set.copyOf(privileges));
        return this;
    }

    /**
     * Writes this token as a client reads it (docs/cluster.md): one line {@code user@realm!tokenid=secret}, mode 0600.
     *
     * @return {@code file}
     */
    public Path writeTokenFile(Path file) throws IOException {
        Files.writeString(file, tokenId + "=" + secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The full token id, {@code user@realm!tokenid}. */
    public String tokenId() {
        return tokenId;
    }

    /**
     * The token value of an {@code Authorization} header as Proxmox finds it: after {@code PVEAPIToken=} (or
     * {@code PVEAPIToken }) up to a {@code ;}, URI-unescaped; empty when the header carries no token.
     */
    public static Optional<String> tokenValue(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = TOKEN_HEADER.matcher(header);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.of(m.group(1));
        }
    }

    /** Whether the token value (see {@link #tokenValue}) names the token and its secret; split at the last {@code =}. */
    public boolean accepts(String value) {
        int split = value.lastIndexOf('=');
        return split > 0 && value.substring(0, split).equals(tokenId) && value.substring(split + 1).equals(secret);
    }

    /** The token's effective privileges on {@code path}: its own, intersected with its user's when a user ACL is set. */
    public synchronized Set<String> privileges(String path) {
        Set<String> held = inherited(acl, path);
        if (userAcl.isEmpty()) {
            return held;
        }
        Set<String> both = new TreeSet<>(held);
        both.retainAll(inherited(userAcl, path));
        return Set.copyOf(both);
    }

    /** The privileges of the deepest ACL path that is {@code path} or a parent of it. */
    private static Set<String> inherited(Map<String, Set<String>> acl, String path) {
        String best = null;
        for (String aclPath : acl.keySet()) {
            boolean covers = aclPath.equals("/") || path.equals(aclPath) || path.startsWith(aclPath + "/");
            if (covers && (best == null || aclPath.length() > best.length())) {
                best = aclPath;
            }
        }
        return best == null ? Set.of() : acl.get(best);
    }

    /** The {@code /access/permissions} map: the standard top paths and every ACL path, omitting those without privileges. */
    public synchronized Map<String, Set<String>> permissionMap() {
        Set<String> paths = new TreeSet<>(Set.of("/", "/access", "/nodes", "/pool", "/sdn", "/storage", "/vms"));
        paths.addAll(acl.keySet());
        paths.addAll(userAcl.keySet());
        Map<String, Set<String>> map = new LinkedHashMap<>();
        for (String path : paths) {
            Set<String> held = privileges(path);
            if (!held.isEmpty()) {
                map.put(path, new TreeSet<>(held));
            }
        }
        return map;
    }
}
