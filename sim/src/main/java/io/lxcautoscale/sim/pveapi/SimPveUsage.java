package io.lxcautoscale.sim.pveapi;

/**
 * What a running container uses, as Proxmox's status daemon reports it.
 *
 * @param cpu      busy fraction of the container's CPUs ({@code cores}), 0.25 = a quarter of them
 * @param memBytes memory used without page cache, in bytes
 */
public record SimPveUsage(double cpu, long memBytes) {
    public static final SimPveUsage IDLE = new SimPveUsage(0, 0);
}
