package io.lxcautoscale.bench.lxc;

import io.lxcautoscale.common.testing.CannotRunHere;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine can run the real-container tests: root, LXC's tools, a busybox to copy into the
 * containers, and cgroup v1 memory/cpu/cpuset controllers (Proxmox's legacy layout). When it cannot, the tests
 * print why and are skipped, or fail when {@code LXCAS_REQUIRE_ALL_TESTS=1} (CI sets it).
 */
final class RealContainers {
    private RealContainers() {
    }

    /** Skips (or fails, under LXCAS_REQUIRE_ALL_TESTS=1) the calling test when real containers cannot run here. */
    static void require() {
        String missing = missing();
        CannotRunHere.unless(missing == null, "real-container tests: " + missing + " (.ci/run installs lxc and busybox-static)");
    }

    /** What is missing, or null when everything is there. */
    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (user " + System.getProperty("user.name") + ")";
        }
        for (String tool : new String[] {"lxc-create", "lxc-start", "lxc-attach", "lxc-info", "lxc-stop", "lxc-destroy"}) {
            if (!onPath(tool)) {
                return tool + " not found on PATH (apt-get install lxc)";
            }
        }
        if (!Files.isExecutable(Path.of("/usr/share/lxc/templates/lxc-busybox"))) {
            return "no busybox template /usr/share/lxc/templates/lxc-busybox (apt-get install lxc)";
        }
        if (!onPath("busybox")) {
            return "busybox not found on PATH (apt-get install busybox-static)";
        }
        for (String controller : new String[] {"memory", "cpu", "cpuacct", "cpuset", "blkio", "pids"}) {
            if (!Files.isDirectory(Path.of("/sys/fs/cgroup", controller, "tasks").getParent())
                    || !Files.exists(Path.of("/sys/fs/cgroup", controller, "tasks"))) {
                return "no cgroup v1 " + controller + " hierarchy at /sys/fs/cgroup/" + controller
                        + " (cgroup v2-only hosts are covered by the fixture trees and the simulator)";
            }
        }
        if (!Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))) {
            return "no swap accounting (memory.memsw.*) in the v1 memory controller";
        }
        return null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
