package io.lxcautoscale.common.pveapi;

import java.util.List;
import java.util.Optional;

/**
 * One guest entry of {@code GET /cluster/resources?type=vm}: a container ({@code type} {@code lxc}) or a VM
 * ({@code qemu}). Statistics are those of the owning node's last status broadcast (up to about 12 s old); {@code node},
 * {@code lock}, {@code hastate} and {@code tags} are current.
 *
 * @param maxcpu CPUs the guest may use ({@code cores}, or its CPU limit, or all host CPUs)
 * @param cpu    busy fraction of {@code maxcpu} (0.25 = a quarter of its CPUs)
 * @param maxmem memory limit in bytes
 * @param mem    memory used in bytes
 */
public record PveGuest(int vmid, String type, String node, String status, Optional<String> name, Optional<String> lock,
                       Optional<String> hastate, List<String> tags, double maxcpu, double cpu, long maxmem, long mem) {
    public PveGuest {
        tags = List.copyOf(tags);
    }

    public boolean isContainer() {
        return "lxc".equals(type);
    }
}
