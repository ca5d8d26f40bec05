package io.lxcautoscale.monitor.collect;

import java.nio.file.Path;
import java.util.List;

/**
 * What and where the collector reads; every root is configurable so tests and the simulator can point
 * at a generated tree.
 *
 * @param cgroupRoot       cgroup mount point ({@code /sys/fs/cgroup})
 * @param pveLxcDir        container configs ({@code /etc/pve/lxc})
 * @param procRoot         proc file system ({@code /proc}) for init PIDs, host CPUs and memory
 * @param sysClassNet      network interfaces ({@code /sys/class/net})
 * @param swap             collect swap figures
 * @param network          collect network figures
 * @param filesystem       collect root file-system usage
 * @param excludedDevices  block devices left out of disk I/O ({@code MAJ:MIN} or name prefixes)
 */
public record CollectorSettings(Path cgroupRoot, Path pveLxcDir, Path procRoot, Path sysClassNet, boolean swap,
                                boolean network, boolean filesystem, List<String> excludedDevices) {
    public CollectorSettings {
        excludedDevices = List.copyOf(excludedDevices);
    }
}
