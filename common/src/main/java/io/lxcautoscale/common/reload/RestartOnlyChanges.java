package io.lxcautoscale.common.reload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the settings that differ between the running configuration and a reloaded one among those only a restart
 * applies, by comparing the effective values ({@code --check-config}'s view) key by key.
 */
public final class RestartOnlyChanges {
    /** One changed setting: its dotted key, the running value and the value in the file. */
    public record Change(String key, Object running, Object inFile) {
        @Override
        public String toString() {
            return key + " changed from " + running + " to " + inFile + ": needs restart; " + running + " stays in effect until then";
        }
    }

    private RestartOnlyChanges() {
    }

    /**
     * The changes of {@code running} → {@code reloaded} under {@code restartOnlyKeys} (a key names a leaf or a whole
     * section), in key order of the running configuration, then keys new in the file.
     */
    public static List<Change> between(Map<String, Object> running, Map<String, Object> reloaded, List<String> restartOnlyKeys) {
        Map<String, Object> before = flatten(running);
        Map<String, Object> after = flatten(reloaded);
        Map<String, Object> keys = new LinkedHashMap<>(before);
        after.forEach(keys::putIfAbsent);
        List<Change> changes = new ArrayList<>();
        for (String key : keys.keySet()) {
            if (covered(key, restartOnlyKeys) && !Objects.equals(before.get(key), after.get(key))) {
                changes.add(new Change(key, before.get(key), after.get(key)));
            }
        }
        return changes;
    }

    private static boolean covered(String key, List<String> restartOnlyKeys) {
        for (String k : restartOnlyKeys) {
            if (key.equals(k) || key.startsWith(k + ".")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> flatten(Map<String, Object> tree) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", tree, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child) {
                flatten(key + ".", child, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }
}
