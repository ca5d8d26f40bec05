package io.lxcautoscale.api.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A running container's used memory read from its cgroup v2 directory the way Proxmox computes it:
 * {@code memory.current − memory.stat:file} (page cache is reclaimable, so it is not "used").
 */
public final class MemoryUsage {
    private final Path cgroupRoot;

    public MemoryUsage(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /** Used bytes, or empty when the container has no cgroup (stopped) or the files are unreadable. */
    public OptionalLong usedBytes(int vmid) {
        Path dir = cgroupRoot.resolve("lxc").resolve(Integer.toString(vmid));
        try {
            long current = Long.parseLong(Files.readString(dir.resolve("memory.current"), StandardCharsets.US_ASCII).strip());
            long file = 0;
            for (String line : Files.readAllLines(dir.resolve("memory.stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("file ")) {
                    file = Long.parseLong(line.substring(5).strip());
                    break;
                }
            }
            return OptionalLong.of(Math.max(0, current - file));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
