package io.lxcautoscale.sim.pve;

import java.nio.file.Path;

/**
 * Where each piece of the simulated node lives under its root directory, in the layout of a real
 * Proxmox VE host ({@code ROOT/sys/fs/cgroup/lxc/<vmid>}, {@code ROOT/etc/pve/nodes/<node>/lxc}, ...).
 */
public record NodeFiles(Path root) {
    public NodeFiles {
        root = root.toAbsolutePath().normalize();
    }

    public Path cgroupRoot() {
        return root.resolve("sys/fs/cgroup");
    }

    public Path cgroupDir(int vmid) {
        return cgroupRoot().resolve("lxc").resolve(Integer.toString(vmid));
    }

    /** {@code ROOT/etc/pve/lxc}, a symlink to the node's folder as on a real host. */
    public Path confLink() {
        return root.resolve("etc/pve/lxc");
    }

    public Path confDir(String node) {
        return root.resolve("etc/pve/nodes").resolve(node).resolve("lxc");
    }

    public Path confFile(String node, int vmid) {
        return confDir(node).resolve(vmid + ".conf");
    }

    public Path hostnameFile() {
        return root.resolve("etc/hostname");
    }

    public Path proc() {
        return root.resolve("proc");
    }

    public Path netDir(int vmid) {
        return root.resolve("sys/class/net").resolve("veth" + vmid + "i0");
    }

    public Path bin() {
        return root.resolve("bin");
    }

    /** The simulator's own bookkeeping (not part of a real host): state file and lock. */
    public Path simDir() {
        return root.resolve(".sim");
    }

    public Path stateFile() {
        return simDir().resolve("state");
    }

    public Path lockFile() {
        return root.resolve(".sim.lock");
    }
}
