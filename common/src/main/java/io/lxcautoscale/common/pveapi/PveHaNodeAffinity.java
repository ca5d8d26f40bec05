package io.lxcautoscale.common.pveapi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where HA may run a resource: a node-affinity rule of {@code GET /cluster/ha/rules} (Proxmox VE 9), or an HA group
 * of {@code GET /cluster/ha/groups} (Proxmox VE 8, which 9 migrates to rules named {@code ha-group-<group>}).
 *
 * @param name            the rule's id, or {@code group <name>} for a PVE 8 group
 * @param nodePriorities  the nodes listed, each with its priority (absent in the list = 0); HA runs the resource on
 *                        the available listed nodes of the highest priority
 * @param strict          only the listed nodes may run it ({@code strict}; a group's {@code restricted})
 * @param failback        HA moves it back to a node of higher priority when one is available again (PVE 9: the
 *                        resource's {@code failback}, default on; PVE 8: the group's {@code nofailback} off)
 */
public record PveHaNodeAffinity(String name, Map<String, Integer> nodePriorities, boolean strict, boolean failback) {
    public PveHaNodeAffinity {
        nodePriorities = Map.copyOf(nodePriorities);
    }

    /** The same rule with {@code failback} as given. */
    public PveHaNodeAffinity withFailback(boolean on) {
        return new PveHaNodeAffinity(name, nodePriorities, strict, on);
    }

    /**
     * Proxmox's node list {@code "pve1:2,pve2"} (a node without {@code :priority} has priority 0).
     *
     * @throws IllegalArgumentException for an entry that is not {@code node[:integer]}
     */
    public static Map<String, Integer> parseNodes(String list) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            String node = colon < 0 ? e : e.substring(0, colon);
            int priority = 0;
            if (colon >= 0) {
                try {
                    priority = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("'" + e + "' is not node[:priority]");
                }
            }
            if (node.isEmpty()) {
                throw new IllegalArgumentException("'" + e + "' names no node");
            }
            out.put(node, priority);
        }
        return out;
    }

    /** As Proxmox writes it: {@code pve1:2,pve2:0}. */
    public String nodesText() {
        StringBuilder b = new StringBuilder();
        nodePriorities.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> b.append(b.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(e.getValue()));
        return b.toString();
    }
}
