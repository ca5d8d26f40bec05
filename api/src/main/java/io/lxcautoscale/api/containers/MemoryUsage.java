package io.lxcautoscale.api.containers;

import io.lxcautoscale.common.cgroup.CgroupCounters;
import io.lxcautoscale.common.cgroup.CgroupReader;
import io.lxcautoscale.common.read.ByteText;
import java.nio.file.Path;

/**
 * A running container's memory use, read from its cgroup with the monitor's reader (common's
 * {@link CgroupReader}): used memory the way Proxmox computes it (cgroup v2 {@code memory.current − file},
 * v1 {@code usage_in_bytes − total_cache}), and the unreclaimable part (anon + shmem + kernel), which tmpfs can
 * put above the used figure because {@code file} includes shmem.
 */
public final class MemoryUsage {
    /** What reading a container's memory use found. */
    public sealed interface Reading permits Used, NotRunning, Unknown {
    }

    /**
     * The container runs and uses {@code bytes}; {@code unreclaimableBytes} cannot be freed without swap or a kill
     * ({@link ByteText#ABSENT} when the kernel does not report anon and shmem).
     */
    public record Used(long bytes, long unreclaimableBytes) implements Reading {
        /** A reading without the unreclaimable figure. */
        public Used(long bytes) {
            this(bytes, ByteText.ABSENT);
        }
    }

    /** The container has no cgroup in either layout: it is not running, so nothing inside it can be killed. */
    public record NotRunning() implements Reading {
    }

    /** The container's cgroup exists but its files could not be read or parsed. */
    public record Unknown(String reason) implements Reading {
    }

    private final CgroupReader reader;
    private final Path cgroupRoot;

    public MemoryUsage(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
        this.reader = new CgroupReader(cgroupRoot);
    }

    public Reading read(int vmid) {
        CgroupReader.Reading reading = reader.read(vmid);
        if (reading instanceof CgroupReader.NotRunning) {
            return new NotRunning();
        }
        if (reading instanceof CgroupReader.Running running) {
            CgroupCounters c = running.counters();
            if (c.usedBytes() >= 0) {
                return new Used(c.usedBytes(), c.unreclaimableBytes());
            }
            return new Unknown("no memory figures for container " + vmid + " under " + cgroupRoot
                    + " (memory.current/memory.stat or memory.usage_in_bytes missing)");
        }
        CgroupReader.Unreadable unreadable = (CgroupReader.Unreadable) reading;
        CgroupCounters c = unreadable.counters();
        if (c.usedBytes() >= 0) {
            // a problem with a file the memory figure does not need (io.stat, pids) does not make it unknown
            return new Used(c.usedBytes(), c.unreclaimableBytes());
        }
        return new Unknown(String.join("; ", unreadable.problems()));
    }
}
