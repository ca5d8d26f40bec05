package io.lxcautoscale.sim.pveapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one API token the simulated cluster accepts and its ACL: privileges granted per path, propagating to child
 * paths, where a deeper ACL entry replaces what is inherited (Proxmox's rule). The ACL is the token's effective one
 * (with privilege separation, Proxmox intersects user and token ACLs; the simulator takes the result directly).
 */
public final class SimPveAccess {
    private final String tokenId;
    private final String secret;
    private final Map<String, Set<String>> acl = new TreeMap<>();

    public SimPveAccess(String tokenId, String secret) {
        this.tokenId = tokenId;
        this.secret = secret;
    }

    /** Grants exactly these privileges on {@code path} and below (replacing an earlier grant on the same path). */
    public synchronized SimPveAccess grant(String path, Set<String> privileges) {
        acl.put(path, Set.copyOf(privileges));
        return this;
    }

    /** Whether {@code header} is a valid {@code Authorization} value for the token. */
    public boolean accepts(String header) {
        if (header == null || !header.startsWith("PVEAPIToken=")) {
            return false;
        }
        String value = header.substring("PVEAPIToken=".length());
        int split = value.lastIndexOf('=');
        return split > 0 && value.substring(0, split).equals(tokenId) && value.substring(split + 1).equals(secret);
    }

    /** The privileges the token holds on {@code path}: those of the deepest ACL path that is {@code path} or a parent. */
    public synchronized Set<String> privileges(String path) {
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
