package io.lxcautoscale.monitor;

import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.monitor.collect.CollectorSettings;
import java.util.List;

/** The monitor's settings pointed at a {@link HostTree}: every collector on, no excluded devices. */
public final class HostTrees {
    private HostTrees() {
    }

    public static CollectorSettings settings(HostTree tree) {
        return new CollectorSettings(tree.cgroup, tree.pve, tree.proc, tree.net, true, true, true, List.of());
    }
}
