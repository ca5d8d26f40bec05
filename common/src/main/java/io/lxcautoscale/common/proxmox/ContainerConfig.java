package io.lxcautoscale.common.proxmox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The typed resource view of one container's current configuration, with Proxmox's defaults applied
 * where a key is absent.
 *
 * @param vmid      container id
 * @param hostname  {@code hostname}, or null when unset (Proxmox then shows {@code CT<vmid>})
 * @param cores     {@code cores}; null when absent, which means all host CPUs
 * @param cpulimit  {@code cpulimit} in CPUs; 0 = no limit (the default)
 * @param cpuunits  {@code cpuunits}; null when absent (Proxmox default 100 on cgroup v2)
 * @param memoryMb  {@code memory} in MiB; default 512
 * @param swapMb    {@code swap} in MiB; 0 when absent (what Proxmox enforces for a missing key)
 * @param tags      {@code tags} split on ';' (also ',' and spaces, which Proxmox accepts on input)
 * @param lock      {@code lock}, or null when unlocked
 * @param template  {@code template: 1}
 * @param rootfs    the {@code rootfs} volume string, or null
 * @param onboot    {@code onboot: 1}
 * @param protection {@code protection: 1}
 * @param unprivileged {@code unprivileged: 1}
 * @param snapshots names of the snapshot sections (empty when read from {@code pct config})
 * @param hasPending true when a {@code [pve:pending]} section holds changes waiting for a restart
 */
public record ContainerConfig(int vmid, String hostname, Integer cores, double cpulimit, Integer cpuunits, int memoryMb,
                              int swapMb, List<String> tags, String lock, boolean template, String rootfs, boolean onboot,
                              boolean protection, boolean unprivileged, List<String> snapshots, boolean hasPending) {
    public static final int DEFAULT_MEMORY_MB = 512;
    public static final int DEFAULT_SWAP_MB = 0;

    public ContainerConfig {
        tags = List.copyOf(tags);
        snapshots = List.copyOf(snapshots);
    }

    /** The name Proxmox shows: the hostname or {@code CT<vmid>}. */
    public String name() {
        return hostname != null && !hostname.isEmpty() ? hostname : "CT" + vmid;
    }

    /** The storage id of the root volume (before the ':'), or null when unknown. */
    public String rootfsStorage() {
        if (rootfs == null) {
            return null;
        }
        int colon = rootfs.indexOf(':');
        return colon > 0 ? rootfs.substring(0, colon) : null;
    }

    /** The {@code size=} option of the root volume as Proxmox writes it (e.g. {@code 8G}), or null. */
    public String rootfsSize() {
        if (rootfs == null) {
            return null;
        }
        for (String part : rootfs.split(",")) {
            if (part.startsWith("size=")) {
                return part.substring(5);
            }
        }
        return null;
    }

    /** Types the current (top-level) values of a parsed config; {@code source} names it in errors. */
    public static ContainerConfig from(int vmid, String source, PctConfig parsed) {
        return new ContainerConfig(
                vmid,
                parsed.get("hostname"),
                optionalInt(source, parsed, "cores", 1, 8192),
                optionalDouble(source, parsed, "cpulimit", 0, 8192, 0.0),
                optionalInt(source, parsed, "cpuunits", 0, 500000),
                orDefault(optionalInt(source, parsed, "memory", 16, Integer.MAX_VALUE), DEFAULT_MEMORY_MB),
                orDefault(optionalInt(source, parsed, "swap", 0, Integer.MAX_VALUE), DEFAULT_SWAP_MB),
                splitTags(parsed.get("tags")),
                blankToNull(parsed.get("lock")),
                flag(parsed.get("template")),
                parsed.get("rootfs"),
                flag(parsed.get("onboot")),
                flag(parsed.get("protection")),
                flag(parsed.get("unprivileged")),
                parsed.snapshotNames(),
                !parsed.pending().isEmpty() || !parsed.pendingDeletes().isEmpty());
    }

    static List<String> splitTags(String value) {
        List<String> tags = new ArrayList<>();
        if (value != null) {
            for (String tag : value.split("[;, ]+")) {
                if (!tag.isEmpty()) {
                    tags.add(tag);
                }
            }
        }
        return tags;
    }

    private static Integer optionalInt(String source, PctConfig parsed, String key, int min, int max) {
        String v = parsed.get(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ProxmoxParseException(source + ": " + key + " = " + v + " is outside " + min + "-" + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ProxmoxParseException(source + ": " + key + " is not an integer: " + v);
        }
    }

    private static double optionalDouble(String source, PctConfig parsed, String key, double min, double max, double dflt) {
        String v = parsed.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new ProxmoxParseException(source + ": " + key + " = " + v + " is outside " + min + "-" + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ProxmoxParseException(source + ": " + key + " is not a number: " + v);
        }
    }

    private static int orDefault(Integer v, int dflt) {
        return v == null ? dflt : v;
    }

    private static boolean flag(String v) {
        return v != null && v.strip().equals("1");
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip().toLowerCase(Locale.ROOT);
    }
}
