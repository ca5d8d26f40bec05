package io.lxcautoscale.sim.workload;

/**
 * What a container's processes ask for at one instant, before the cgroup limits apply.
 *
 * @param cpuCores      runnable CPU demand in cores (may exceed the allotment: the excess waits, or is throttled
 *                      under a {@code cpulimit})
 * @param anonBytes     anonymous memory the processes want resident
 * @param fileBytes     page cache the processes would keep if there were room
 * @param readBytesPerSecond  block reads
 * @param writeBytesPerSecond block writes
 * @param rxBytesPerSecond    network bytes received by the container
 * @param txBytesPerSecond    network bytes sent by the container
 * @param processes     number of processes
 * @param shmemBytes    tmpfs / shared memory the processes keep: charged as page cache ({@code file} and
 *                      {@code shmem}) but not reclaimable without swap, and not freed by an OOM kill
 */
public record Demand(double cpuCores, long anonBytes, long fileBytes, double readBytesPerSecond, double writeBytesPerSecond,
                     double rxBytesPerSecond, double txBytesPerSecond, int processes, long shmemBytes) {
}
