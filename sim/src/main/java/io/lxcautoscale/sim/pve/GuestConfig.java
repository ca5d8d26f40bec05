package io.lxcautoscale.sim.pve;

import io.lxcautoscale.common.proxmox.PctConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mutable {@code /etc/pve/lxc/<vmid>.conf}: description, current keys, raw {@code lxc.*} lines, the
 * {@code [pve:pending]} section and the snapshot sections, read and written in Proxmox's layout.
 */
public final class GuestConfig {

    private final List<String> description = new ArrayList<>();
    private final Map<String, String> values = new TreeMap<>();
    private final List<String[]> rawLxc = new ArrayList<>();
    private final Map<String, String> pending = new TreeMap<>();
    private final Map<String, Map<String, String>> snapshots = new LinkedHashMap<>();

    /**
     * Parses config text with the project's one conf parser ({@link PctConfig}) and copies it into mutable form;
     * {@code source} names the file in errors.
     */
    public static GuestConfig parse(String source, String text) {
        PctConfig parsed = PctConfig.parse(source, text);
        GuestConfig c = new GuestConfig();
        if (!parsed.description().isEmpty()) {
            c.description.addAll(List.of(parsed.description().split("\n", -1)));
        }
        parsed.values().forEach((k, v) -> c.values.put(k.toLowerCase(Locale.ROOT), v));
        parsed.rawLxc().forEach(r -> c.rawLxc.add(new String[] {r.key(), r.value()}));
        c.pending.putAll(parsed.pending());
        if (!parsed.pendingDeletes().isEmpty()) {
            c.pending.put("delete", String.join(",", parsed.pendingDeletes()));
        }
        for (PctConfig.Snapshot snapshot : parsed.snapshots()) {
            c.snapshots.put(snapshot.name(), new TreeMap<>(snapshot.values()));
        }
        return c;
    }

    /** The file text in Proxmox's order: description, sorted keys, raw lxc lines, pending, snapshots. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (String d : description) {
            out.append('#').append(URLEncoder.encode(d, StandardCharsets.UTF_8).replace("+", " ")).append('\n');
        }
        values.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        for (String[] raw : rawLxc) {
            out.append(raw[0]).append(": ").append(raw[1]).append('\n');
        }
        if (!pending.isEmpty()) {
            out.append("\n[pve:pending]\n");
            pending.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        }
        snapshots.forEach((name, snap) -> {
            out.append("\n[").append(name).append("]\n");
            snap.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        });
        return out.toString();
    }

    /** SHA-1 of the file text, as Proxmox's {@code digest}. */
    public static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, String> values() {
        return values;
    }

    public Map<String, String> pending() {
        return pending;
    }

    public Map<String, Map<String, String>> snapshots() {
        return snapshots;
    }

    public List<String> description() {
        return description;
    }

    public List<String[]> rawLxc() {
        return rawLxc;
    }

    public String get(String key) {
        return values.get(key);
    }

    public void put(String key, String value) {
        values.put(key, value);
    }

    public String hostname() {
        return values.get("hostname");
    }

    /** {@code cores} or null when absent (= all host CPUs). */
    public Integer cores() {
        String v = values.get("cores");
        return v == null ? null : Integer.valueOf(v.strip());
    }

    public double cpulimit() {
        String v = values.get("cpulimit");
        return v == null ? 0 : Double.parseDouble(v.strip());
    }

    public int memoryMb() {
        String v = values.get("memory");
        return v == null ? 512 : Integer.parseInt(v.strip());
    }

    public int swapMb() {
        String v = values.get("swap");
        return v == null ? 0 : Integer.parseInt(v.strip());
    }

    public String lock() {
        return values.get("lock");
    }

    public boolean template() {
        return "1".equals(values.get("template"));
    }

    /** The rootfs {@code size=} in bytes, or 4 GiB when unknown (Proxmox's default for {@code maxdisk}). */
    public long rootfsSizeBytes() {
        String rootfs = values.get("rootfs");
        if (rootfs != null) {
            for (String part : rootfs.split(",")) {
                if (part.startsWith("size=")) {
                    return SizeText.parseBytes(part.substring(5));
                }
            }
        }
        return 4L << 30;
    }

    /** Replaces the rootfs {@code size=} option. */
    public void setRootfsSizeBytes(long bytes) {
        String rootfs = values.getOrDefault("rootfs", "local-lvm:vm-0-disk-0");
        List<String> parts = new ArrayList<>();
        for (String part : rootfs.split(",")) {
            if (!part.startsWith("size=")) {
                parts.add(part);
            }
        }
        parts.add(1, "size=" + SizeText.format(bytes));
        values.put("rootfs", String.join(",", parts));
    }
}
