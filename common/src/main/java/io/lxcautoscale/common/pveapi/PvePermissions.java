package io.lxcautoscale.common.pveapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The token's effective privileges per ACL path, from {@code GET /access/permissions}. */
public record PvePermissions(Map<String, Set<String>> byPath) {
    public PvePermissions {
        Map<String, Set<String>> copy = new TreeMap<>();
        byPath.forEach((path, privileges) -> copy.put(path, Set.copyOf(privileges)));
        byPath = Map.copyOf(copy);
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
