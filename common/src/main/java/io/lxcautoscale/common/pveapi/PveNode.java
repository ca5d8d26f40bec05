package io.lxcautoscale.common.pveapi;

import java.util.Optional;

/**
 * One node entry of {@code GET /cluster/resources?type=node}. Statistics are present only with {@code Sys.Audit}
 * on the node and only while it is online; they are zero otherwise.
 *
 * @param status  {@code online}, {@code offline} or {@code unknown}
 * @param maxcpu  logical CPUs
 * @param cpu     busy fraction of all its CPUs
 * @param maxmem  memory in bytes
 * @param mem     memory used in bytes
 * @param hastate HA state of the node ({@code online}, {@code maintenance}, ...) when HA reports one
 */
public record PveNode(String node, String status, int maxcpu, double cpu, long maxmem, long mem, Optional<String> hastate) {
    public boolean online() {
        return "online".equals(status);
    }
}
