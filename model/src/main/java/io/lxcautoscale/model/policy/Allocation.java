package io.lxcautoscale.model.policy;

import java.util.List;
import java.util.Objects;

/**
 * A container's current configuration as Proxmox reports it.
 *
 * @param vmid     the VMID
 * @param cores    configured cores; 0 = no {@code cores} line (all host CPUs)
 * @param memoryMb configured memory, MiB
 * @param running  status is {@code running}
 * @param lock     Proxmox lock name, or null when unlocked
 * @param template the container is a template
 * @param tags     Proxmox tags
 * @param cpulimit Proxmox {@code cpulimit} (cgroup {@code cpu.max}), CPUs; 0 = none (also when unknown)
 */
public record Allocation(String vmid, int cores, int memoryMb, boolean running, String lock, boolean template, List<String> tags,
                         double cpulimit) {
    /** An allocation without {@code cpulimit}. */
    public Allocation(String vmid, int cores, int memoryMb, boolean running, String lock, boolean template, List<String> tags) {
        this(vmid, cores, memoryMb, running, lock, template, tags, 0);
    }

    public Allocation {
        Objects.requireNonNull(vmid, "vmid");
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (cores < 0 || memoryMb <= 0) {
            throw new IllegalArgumentException("container " + vmid + ": cores must be >= 0 and memory > 0, got "
                    + cores + " cores, " + memoryMb + " MiB");
        }
        if (!(cpulimit >= 0)) {
            throw new IllegalArgumentException("container " + vmid + ": cpulimit must be >= 0, got " + cpulimit);
        }
    }

    /** A running, unlocked, untagged container (tests and replay). */
    public static Allocation running(String vmid, int cores, int memoryMb) {
        return new Allocation(vmid, cores, memoryMb, true, null, false, List.of());
    }

    /** True when the configuration has no {@code cores} line: the container may use every host CPU. */
    public boolean coresUnset() {
        return cores == 0;
    }

    /** The cores the container can use: its {@code cores}, or every host CPU when unset. */
    public int effectiveCores(NodeCapacity node) {
        return cores > 0 ? cores : node.cpus();
    }

    public Allocation withCoresAndMemory(int newCores, int newMemoryMb) {
        return new Allocation(vmid, newCores, newMemoryMb, running, lock, template, tags, cpulimit);
    }
}
