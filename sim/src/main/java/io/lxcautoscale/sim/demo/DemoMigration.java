package io.lxcautoscale.sim.demo;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.sim.scenario.ContainerSpec;
import io.lxcautoscale.sim.world.World;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code --migrate VMID:NODE:SECONDS} of the cluster demo in fast-forward: a restart-mode migration of a container to
 * another node, as {@code pct migrate VMID NODE --restart} does it. At simulated second {@code SECONDS} the container
 * is shut down and its config locked ({@code lock: migrate}); {@link #COPY_SECONDS} later its config moves to the
 * target's {@code /etc/pve/nodes/NODE/lxc}, unlocked, and it starts there with the same workload. The Proxmox API's
 * cluster view follows the files, so both models see the lock, then the new node.
 *
 * @param vmid   the container
 * @param from   the node it runs on (from the node scenarios)
 * @param to     the target
 * @param second when it starts, simulated seconds
 */
record DemoMigration(int vmid, String from, String to, long second) {
    /** Simulated seconds between the shutdown and the start on the target (the copy). */
    static final long COPY_SECONDS = 5;

    /** {@code VMID:NODE:SECONDS}; a problem names the option and what is allowed. */
    static DemoMigration parse(String text, List<ClusterScenarios.NodeScenario> scenarios) {
        String[] parts = text.split(":", 3);
        List<String> names = scenarios.stream().map(ClusterScenarios.NodeScenario::node).toList();
        String problem = "'" + text + "': VMID:NODE:SECONDS with VMID a container of the node scenarios, NODE one of " + names
                + " other than the container's, SECONDS a whole number of 1 or more";
        if (parts.length != 3) {
            throw new ConfigException("--migrate", List.of(problem));
        }
        int vmid;
        long second;
        try {
            vmid = Integer.parseInt(parts[0].strip());
            second = Long.parseLong(parts[2].strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("--migrate", List.of(problem));
        }
        String from = null;
        for (ClusterScenarios.NodeScenario n : scenarios) {
            for (ContainerSpec ct : n.scenario().containers()) {
                if (ct.vmid() == vmid) {
                    from = n.node();
                }
            }
        }
        String to = parts[1].strip();
        if (from == null || !names.contains(to) || to.equals(from) || second < 1) {
            throw new ConfigException("--migrate", List.of(problem));
        }
        return new DemoMigration(vmid, from, to, second);
    }

    /** Does this second's part of the migration, if any, on the nodes' worlds. */
    void step(long now, Instant at, Map<String, World> worlds, PrintStream out) {
        if (now == second) {
            worlds.get(from).beginMigrationOut(vmid);
            out.printf("container %d: migration to %s started at simulated second %d (%s): shut down, locked (migrate)%n", vmid, to, now, at);
        } else if (now == second + COPY_SECONDS) {
            worlds.get(to).migrateIn(worlds.get(from).endMigrationOut(vmid));
            out.printf("container %d migrated from %s to %s at simulated second %d (%s): started there%n", vmid, from, to, now, at);
        }
    }
}
