package io.lxcautoscale.common.pveapi;

import java.util.Optional;

/**
 * The parts of {@code GET /nodes/{node}/lxc/{vmid}/status/current} the autoscaler uses, computed live on the owner
 * node (limits are current at once; {@code cpu} there depends on which API worker answers, so take CPU use from
 * {@code /cluster/resources}).
 *
 * @param status  {@code running} or {@code stopped}
 * @param cpus    CPUs the container may use ({@code cores}, else its CPU limit, else all host CPUs)
 * @param mem     memory used in bytes (page cache excluded)
 * @param maxmem  memory limit in bytes
 * @param maxswap swap limit in bytes
 * @param haState the HA service state when the container is HA-managed
 */
public record PveContainerStatus(int vmid, String status, double cpus, long mem, long maxmem, long maxswap,
                                 Optional<String> lock, Optional<String> haState) {
    public boolean running() {
        return "running".equals(status);
    }
}
