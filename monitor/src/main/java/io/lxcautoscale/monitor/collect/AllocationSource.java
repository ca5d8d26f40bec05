package io.lxcautoscale.monitor.collect;

import io.lxcautoscale.common.proxmox.ContainerConfig;
import io.lxcautoscale.common.proxmox.PctConfig;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One container's allocation from {@code <pve_lxc_dir>/<vmid>.conf}, parsed with common's Proxmox config
 * parser and re-parsed only when the file's modification time or size changes (parsing 1,000 configs
 * every cycle would cost more than reading all the cgroup files). The file is looked at (one stat) at most
 * every {@link #CHECK_EVERY_NANOS} (30 s), not every cycle: on a 1,000-container host a stat per container per
 * cycle of pmxcfs (a FUSE file system) costs more than all the cgroup reads. A changed config therefore shows
 * in the snapshot up to 30 s late. The containers' checks are spread over that period by VMID.
 */
final class AllocationSource {
    /** What the last look at the file gave. */
    sealed interface Result permits Loaded, Missing, Invalid {
    }

    record Loaded(ContainerConfig config) implements Result {
    }

    record Missing(String path) implements Result {
    }

    record Invalid(String path, String reason) implements Result {
    }

    /** File times have a coarse granularity on some file systems: a change within it is caught by re-reading. */
    private static final long RACY_WINDOW_MILLIS = 2_000;
    /** Longest time between two looks at the config file. */
    static final long CHECK_EVERY_NANOS = 30_000_000_000L;
    /** Slots the checks of different containers are spread over. */
    private static final int STAGGER_SLOTS = 8;

    private final int vmid;
    private final Path file;
    private long modifiedMillis = Long.MIN_VALUE;
    private long size = -1;
    private boolean racy;
    private Result result;
    private long checkedAtNanos;

    AllocationSource(int vmid, Path pveLxcDir) {
        this.vmid = vmid;
        this.file = pveLxcDir.resolve(vmid + ".conf");
    }

    /**
     * The allocation as of the last look at the file; looks again when {@link #CHECK_EVERY_NANOS} passed since
     * the last look (the first look is at once). {@code nowNanos} is the monotonic clock.
     */
    Result current(long nowNanos) {
        if (result != null && nowNanos - checkedAtNanos < CHECK_EVERY_NANOS) {
            return result;
        }
        // The first look is moved back by a VMID-dependent part of the period, so that containers found in the
        // same cycle (all of them at the monitor's start) are not all looked at again in the same later cycle.
        checkedAtNanos = result == null ? nowNanos - CHECK_EVERY_NANOS / STAGGER_SLOTS * (vmid % STAGGER_SLOTS) : nowNanos;
        return look();
    }

    private Result look() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            modifiedMillis = Long.MIN_VALUE;
            result = new Missing(file.toString());
            return result;
        } catch (IOException e) {
            modifiedMillis = Long.MIN_VALUE;
            result = new Invalid(file.toString(), "cannot read: " + e);
            return result;
        }
        long modified = attributes.lastModifiedTime().toMillis();
        if (result != null && !racy && modified == modifiedMillis && attributes.size() == size) {
            return result;
        }
        long readAt = System.currentTimeMillis();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            result = new Loaded(ContainerConfig.from(vmid, file.toString(), PctConfig.parse(file.toString(), text)));
        } catch (ProxmoxParseException e) {
            result = new Invalid(file.toString(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            result = new Invalid(file.toString(), "cannot read: " + e);
        }
        modifiedMillis = modified;
        size = attributes.size();
        racy = readAt - modified < RACY_WINDOW_MILLIS;
        return result;
    }
}
