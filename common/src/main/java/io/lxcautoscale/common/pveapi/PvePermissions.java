package io.lxcautoscale.common.pveapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The token's effective privileges per ACL path, from {@code GET /access/permissions}. */
public record PvePermissions(Map<String, Set<String>> byPath) {
    /** What cluster mode reads and changes on containers, checked on {@code /vms}. */
    public static final Set<String> CONTAINER_PRIVILEGES = Set.of("VM.Audit", "VM.Config.CPU", "VM.Config.Memory");
    /** Needed on {@code /vms} only when migrations are enabled. */
    public static final String MIGRATE_PRIVILEGE = "VM.Migrate";
    /** Node figures and HA status, checked on {@code /}. */
    public static final String NODE_PRIVILEGE = "Sys.Audit";

    public PvePermissions {
        Map<String, Set<String>> copy = new TreeMap<>();
        byPath.forEach((path, privileges) -> copy.put(path, Set.copyOf(privileges)));
        byPath = Map.copyOf(copy);
    }

    /**
     * What the token lacks for cluster mode, each as {@code "<privilege> on <path>"}: {@code Sys.Audit} on {@code /},
     * {@code VM.Audit}, {@code VM.Config.CPU}, {@code VM.Config.Memory} (and {@code VM.Migrate} with migration) on
     * {@code /vms}. Empty when nothing is missing.
     */
    public List<String> missingForClusterMode(boolean migration) {
        Set<String> onVms = new TreeSet<>(CONTAINER_PRIVILEGES);
        if (migration) {
            onVms.add(MIGRATE_PRIVILEGE);
        }
        List<String> missing = new ArrayList<>();
        missing("/", Set.of(NODE_PRIVILEGE)).forEach(p -> missing.add(p + " on /"));
        missing("/vms", onVms).forEach(p -> missing.add(p + " on /vms"));
        return missing;
    }

    /** The privileges among {@code required} that the token does not hold on exactly {@code path}, in sorted order. */
    public List<String> missing(String path, Set<String> required) {
        Set<String> held = byPath.getOrDefault(path, Set.of());
        List<String> missing = new ArrayList<>();
        for (String privilege : new TreeSet<>(required)) {
            if (!held.contains(privilege)) {
                missing.add(privilege);
            }
        }
        return missing;
    }
}
