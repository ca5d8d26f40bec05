package io.lxcautoscale.api.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A running container's used memory read from its cgroup the way Proxmox computes it: on cgroup v2
 * {@code memory.current − memory.stat:file}, on cgroup v1 {@code memory.usage_in_bytes − memory.stat:total_cache}
 * (page cache is reclaimable, so it is not "used").
 */
public final class MemoryUsage {
    /** What reading a container's memory use found. */
    public sealed interface Reading permits Used, NotRunning, Unknown {
    }

    /** The container runs and uses this many bytes. */
    public record Used(long bytes) implements Reading {
    }

    /** The container has no cgroup in either layout: it is not running, so nothing inside it can be killed. */
    public record NotRunning() implements Reading {
    }

    /** The container's cgroup exists but its files could not be read or parsed. */
    public record Unknown(String reason) implements Reading {
    }

    private final Path cgroupRoot;

    public MemoryUsage(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    public Reading read(int vmid) {
        String id = Integer.toString(vmid);
        Path v2 = cgroupRoot.resolve("lxc").resolve(id);
        Path v1 = cgroupRoot.resolve("memory").resolve("lxc").resolve(id);
        if (Files.isRegularFile(cgroupRoot.resolve("cgroup.controllers"))) {
            return Files.isDirectory(v2) ? used(v2, "memory.current", "file") : new NotRunning();
        }
        return Files.isDirectory(v1) ? used(v1, "memory.usage_in_bytes", "total_cache") : new NotRunning();
    }

    private static Reading used(Path dir, String usageFile, String cacheKey) {
        try {
            long usage = Long.parseLong(Files.readString(dir.resolve(usageFile), StandardCharsets.US_ASCII).strip());
            long cache = 0;
            for (String line : Files.readAllLines(dir.resolve("memory.stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(cacheKey + " ")) {
                    cache = Long.parseLong(line.substring(cacheKey.length() + 1).strip());
                    break;
                }
            }
            return new Used(Math.max(0, usage - cache));
        } catch (NoSuchFileException e) {
            // the cgroup vanished between the check and the read: the container just stopped
            return Files.isDirectory(dir) ? new Unknown(e.getFile() + " is missing") : new NotRunning();
        } catch (IOException | NumberFormatException e) {
            return new Unknown(dir.resolve(usageFile) + ": " + e.getMessage());
        }
    }
}
