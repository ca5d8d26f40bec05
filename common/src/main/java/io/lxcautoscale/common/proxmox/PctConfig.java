package io.lxcautoscale.common.proxmox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container configuration as text: the output of {@code pct config <vmid>} or the file
 * {@code /etc/pve/lxc/<vmid>.conf}, split into the current values, raw {@code lxc.*} keys, the
 * description, the pending section and the snapshot sections (rules of Proxmox's {@code parse_pct_config}).
 *
 * @param values      top-level {@code key: value} pairs in file order (the current configuration)
 * @param rawLxc      raw LXC keys ({@code lxc.x: v} or {@code lxc.x = v}) in file order
 * @param description the {@code #} comment lines, URL-decoded and joined by newlines ("" when none)
 * @param pending     values of {@code [pve:pending]} except {@code delete}
 * @param pendingDeletes keys listed by {@code delete:} in {@code [pve:pending]}
 * @param snapshots   snapshot sections in file order
 */
public record PctConfig(Map<String, String> values, List<RawLxcEntry> rawLxc, String description,
                        Map<String, String> pending, List<String> pendingDeletes, List<Snapshot> snapshots) {

    /** One raw LXC key kept apart from the Proxmox keys. */
    public record RawLxcEntry(String key, String value) {
    }

    /** One {@code [name]} snapshot section: the configuration at snapshot time plus {@code snaptime}. */
    public record Snapshot(String name, Map<String, String> values) {
        public Snapshot {
            values = Map.copyOf(values);
        }
    }

    private static final Pattern SNAPSHOT_HEADER = Pattern.compile("^\\[([a-z][a-z0-9_\\-]+)]\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern PENDING_HEADER = Pattern.compile("^\\[pve:pending]\\s*$");
    private static final Pattern KEY_VALUE = Pattern.compile("^([a-z][a-z0-9_\\-]*)\\s*:\\s*(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern RAW_LXC = Pattern.compile("^(lxc\\.[a-z0-9_\\-.]+)\\s*(?:[:=])\\s*(.*)$", Pattern.CASE_INSENSITIVE);

    public PctConfig {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        rawLxc = List.copyOf(rawLxc);
        pending = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pending));
        pendingDeletes = List.copyOf(pendingDeletes);
        snapshots = List.copyOf(snapshots);
    }

    /** The names of the snapshot sections, oldest first as stored. */
    public List<String> snapshotNames() {
        return snapshots.stream().map(Snapshot::name).toList();
    }

    /** A top-level value or null. */
    public String get(String key) {
        return values.get(key);
    }

    /**
     * Parses config text; {@code source} names it in errors (a file path or {@code pct config 101}).
     *
     * @throws ProxmoxParseException naming the source and line for a line that is neither blank, comment,
     *                               section header, {@code key: value} nor raw LXC key
     */
    public static PctConfig parse(String source, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<RawLxcEntry> raw = new ArrayList<>();
        StringBuilder description = new StringBuilder();
        Map<String, String> pending = new LinkedHashMap<>();
        List<String> deletes = new ArrayList<>();
        List<Snapshot> snapshots = new ArrayList<>();

        // section: null = top level, "" = pending, otherwise the snapshot name
        String section = null;
        Map<String, String> sectionValues = values;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (PENDING_HEADER.matcher(line).matches()) {
                closeSnapshot(section, sectionValues, snapshots);
                section = "";
                sectionValues = pending;
                continue;
            }
            Matcher header = SNAPSHOT_HEADER.matcher(line);
            if (header.matches()) {
                closeSnapshot(section, sectionValues, snapshots);
                section = header.group(1);
                sectionValues = new LinkedHashMap<>();
                continue;
            }
            if (line.startsWith("[")) {
                throw new ProxmoxParseException(source + " line " + (i + 1) + ": unknown section header: " + line);
            }
            if (line.startsWith("#")) {
                if (section == null) {
                    if (description.length() > 0) {
                        description.append('\n');
                    }
                    description.append(decode(line.substring(1)));
                }
                continue;
            }
            Matcher lxc = RAW_LXC.matcher(line);
            if (lxc.matches()) {
                if (section == null) {
                    raw.add(new RawLxcEntry(lxc.group(1), lxc.group(2).strip()));
                }
                continue;
            }
            Matcher kv = KEY_VALUE.matcher(line);
            if (!kv.matches()) {
                throw new ProxmoxParseException(source + " line " + (i + 1) + ": expected 'key: value': " + line);
            }
            String key = kv.group(1);
            String value = kv.group(2).strip();
            if ("".equals(section) && key.equals("delete")) {
                for (String k : value.split(",")) {
                    if (!k.isBlank()) {
                        deletes.add(k.strip());
                    }
                }
            } else {
                sectionValues.put(key, value);
            }
        }
        closeSnapshot(section, sectionValues, snapshots);
        return new PctConfig(values, raw, description.toString(), pending, deletes, snapshots);
    }

    private static void closeSnapshot(String section, Map<String, String> sectionValues, List<Snapshot> snapshots) {
        if (section != null && !section.isEmpty()) {
            snapshots.add(new Snapshot(section, sectionValues));
        }
    }

    private static String decode(String text) {
        try {
            // Proxmox stores the description URL-encoded per line; '+' is literal in its encoding
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return text;
        }
    }
}
