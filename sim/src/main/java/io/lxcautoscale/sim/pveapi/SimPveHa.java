package io.lxcautoscale.sim.pveapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated cluster's HA placement configuration, as {@code /etc/pve/ha/resources.cfg}, {@code groups.cfg} and
 * {@code rules.cfg} hold it: HA resources ({@code ct:<vmid>}, with a PVE 8 {@code group} or a PVE 9
 * {@code failback}), PVE 8 groups and PVE 9 node-affinity rules. {@link #rulesRelease} says which release is
 * simulated: Proxmox VE 9 serves {@code /cluster/ha/rules} and refuses {@code /cluster/ha/groups} once groups are
 * migrated; Proxmox VE 8 has no rules endpoint.
 */
public final class SimPveHa {
    /** One HA resource: {@code group} only on PVE 8, {@code failback} only on PVE 9 (empty = not written = on). */
    public record Resource(String sid, Optional<String> group, Optional<Boolean> failback) {
    }

    /** A PVE 8 HA group. */
    public record Group(String name, String nodes, boolean restricted, boolean nofailback) {
    }

    /** A PVE 9 HA rule ({@code node-affinity} here), {@code resources} as Proxmox writes them ({@code ct:101,vm:100}). */
    public record Rule(String name, String type, String resources, String nodes, boolean strict, boolean disabled) {
    }

    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private boolean rulesRelease = true;

    /** Simulate Proxmox VE 9 (rules; the default) or 8 (groups). */
    public synchronized SimPveHa rulesRelease(boolean pve9) {
        this.rulesRelease = pve9;
        return this;
    }

    public synchronized boolean rulesRelease() {
        return rulesRelease;
    }

    public synchronized SimPveHa resource(Resource r) {
        resources.put(r.sid(), r);
        return this;
    }

    public synchronized SimPveHa group(Group g) {
        groups.put(g.name(), g);
        return this;
    }

    public synchronized SimPveHa rule(Rule r) {
        rules.add(r);
        return this;
    }

    public synchronized List<Resource> resources() {
        return List.copyOf(resources.values());
    }

    public synchronized List<Group> groups() {
        return List.copyOf(groups.values());
    }

    public synchronized List<Rule> rules() {
        return List.copyOf(rules);
    }
}
