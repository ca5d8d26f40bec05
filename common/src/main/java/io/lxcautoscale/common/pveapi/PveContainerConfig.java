package io.lxcautoscale.common.pveapi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parts of {@code GET /nodes/{node}/lxc/{vmid}/config} the autoscaler uses.
 *
 * @param cores     {@code cores}; empty when unset (the container may use every host CPU)
 * @param memoryMib {@code memory} in MiB (Proxmox's default, 512, when unset)
 * @param digest    SHA-1 of the config file; send it back with a change so a concurrent edit is detected
 */
public record PveContainerConfig(int vmid, String node, OptionalInt cores, int memoryMib, String digest,
                                 Optional<String> lock, List<String> tags) {
    /** Proxmox's {@code memory} default for a container, in MiB. */
    public static final int DEFAULT_MEMORY_MIB = 512;

    public PveContainerConfig {
        tags = List.copyOf(tags);
    }
}
