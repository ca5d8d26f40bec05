package io.lxcautoscale.sim.pveapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One container of the simulated cluster, as its config file on the owner node would hold it. The digest is the
 * SHA-1 of {@link #configText()}, so every change of a field (limits, lock, tags) changes it, as in Proxmox.
 */
public record SimPveContainer(int vmid, String node, String hostname, String status, int cores, int memoryMib,
                              Optional<String> lock, Optional<String> hastate, List<String> tags) {
    public SimPveContainer {
        tags = List.copyOf(tags);
    }

    public SimPveContainer withLimits(int newCores, int newMemoryMib) {
        return new SimPveContainer(vmid, node, hostname, status, newCores, newMemoryMib, lock, hastate, tags);
    }

    public SimPveContainer withLock(Optional<String> newLock) {
        return new SimPveContainer(vmid, node, hostname, status, cores, memoryMib, newLock, hastate, tags);
    }

    public SimPveContainer withTags(List<String> newTags) {
        return new SimPveContainer(vmid, node, hostname, status, cores, memoryMib, lock, hastate, newTags);
    }

    public SimPveContainer onNode(String newNode) {
        return new SimPveContainer(vmid, newNode, hostname, status, cores, memoryMib, lock, hastate, tags);
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
        if (!tags.isEmpty()) {
            text.append("tags: ").append(String.join(";", tags)).append('\n');
        }
        return text.toString();
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
