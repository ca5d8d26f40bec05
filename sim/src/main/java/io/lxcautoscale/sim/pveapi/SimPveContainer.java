package io.lxcautoscale.sim.pveapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One container of the simulated cluster, as its config file on the owner node would hold it (plus its run state
 * and HA state). The digest is the SHA-1 of {@link #configText()}, so every change of a config field (limits, lock,
 * tags) changes it, as in Proxmox; the run state and HA state are not in the file and leave it alone.
 *
 * @param status  {@code running} or {@code stopped}
 * @param swapMib {@code swap} in MiB
 */
public record SimPveContainer(int vmid, String node, String hostname, String status, int cores, int memoryMib,
                              Optional<String> lock, Optional<String> hastate, List<String> tags, int swapMib) {
    /** Proxmox's {@code swap} default at creation, in MiB. */
    public static final int DEFAULT_SWAP_MIB = 512;

    public SimPveContainer {
        tags = List.copyOf(tags);
    }

    /** A container with the default swap (512 MiB). */
    public SimPveContainer(int vmid, String node, String hostname, String status, int cores, int memoryMib,
                           Optional<String> lock, Optional<String> hastate, List<String> tags) {
        this(vmid, node, hostname, status, cores, memoryMib, lock, hastate, tags, DEFAULT_SWAP_MIB);
    }

    public boolean running() {
        return "running".equals(status);
    }

    public SimPveContainer withLimits(int newCores, int newMemoryMib) {
        return new SimPveContainer(vmid, node, hostname, status, newCores, newMemoryMib, lock, hastate, tags, swapMib);
    }

    public SimPveContainer withSwap(int newSwapMib) {
        return new SimPveContainer(vmid, node, hostname, status, cores, memoryMib, lock, hastate, tags, newSwapMib);
    }

    public SimPveContainer withLock(Optional<String> newLock) {
        return new SimPveContainer(vmid, node, hostname, status, cores, memoryMib, newLock, hastate, tags, swapMib);
    }

    public SimPveContainer withTags(List<String> newTags) {
        return new SimPveContainer(vmid, node, hostname, status, cores, memoryMib, lock, hastate, newTags, swapMib);
    }

    public SimPveContainer withHaState(Optional<String> newHaState) {
        return new SimPveContainer(vmid, node, hostname, status, cores, memoryMib, lock, newHaState, tags, swapMib);
    }

    public SimPveContainer withStatus(String newStatus) {
        return new SimPveContainer(vmid, node, hostname, newStatus, cores, memoryMib, lock, hastate, tags, swapMib);
    }

    public SimPveContainer onNode(String newNode) {
        return new SimPveContainer(vmid, newNode, hostname, status, cores, memoryMib, lock, hastate, tags, swapMib);
    }

    /** The config file text in Proxmox's {@code key: value} format (keys sorted, as {@code pct config} prints). */
    public String configText() {
        StringBuilder text = new StringBuilder();
        text.append("arch: amd64\n");
        text.append("cores: ").append(cores).append('\n');
        text.append("hostname: ").append(hostname).append('\n');
        lock.ifPresent(l -> text.append("lock: ").append(l).append('\n'));
        text.append("memory: ").append(memoryMib).append('\n');
        text.append("ostype: debian\n");
        text.append("rootfs: ").append(rootfs()).append('\n');
        text.append("swap: ").append(swapMib).append('\n');
        if (!tags.isEmpty()) {
            text.append("tags: ").append(String.join(";", tags)).append('\n');
        }
        text.append("unprivileged: 1\n");
        return text.toString();
    }

    /** The {@code rootfs} line: an 8 GiB volume on {@code local-lvm}. */
    public String rootfs() {
        return "local-lvm:vm-" + vmid + "-disk-0,size=8G";
    }

    public String digest() {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(configText().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
