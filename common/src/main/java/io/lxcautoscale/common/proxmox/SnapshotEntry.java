package io.lxcautoscale.common.proxmox;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the {@code pct listsnapshot <vmid>} tree.
 *
 * @param name        snapshot name ({@code current} for the "You are here!" pseudo-entry)
 * @param level       depth in the tree, 0 for the oldest root
 * @param parent      the name of the entry one level up, or null for a root
 * @param time        snapshot time as printed; UTC because the runner sets {@code TZ=UTC}; null for {@code current}
 * @param description the first description line, {@code no-description} when none was given
 * @param current     true for the pseudo-entry marking the live state
 */
public record SnapshotEntry(String name, int level, String parent, LocalDateTime time, String description, boolean current) {
    private static final Pattern LINE = Pattern.compile("^( *)`-> (\\S+)\\s*(.*)$");
    private static final Pattern TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})\\s*(.*)$");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    /** The snapshot time as epoch seconds (UTC), or null. */
    public Long epochSeconds() {
        return time == null ? null : time.toEpochSecond(ZoneOffset.UTC);
    }

    /** Parses the whole tree; empty output means no entries. */
    public static List<SnapshotEntry> parseTree(String stdout) {
        List<SnapshotEntry> entries = new ArrayList<>();
        // the nearest preceding entry at each level, to find parents
        List<String> lastAtLevel = new ArrayList<>();
        String[] lines = stdout.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ProxmoxParseException("pct listsnapshot line " + (i + 1) + ": not a tree entry: " + line);
            }
            int level = m.group(1).length();
            String name = m.group(2);
            String rest = m.group(3).strip();
            LocalDateTime time = null;
            String description = rest;
            Matcher t = TIME.matcher(rest);
            if (t.matches()) {
                try {
                    time = LocalDateTime.parse(t.group(1), FORMAT);
                } catch (DateTimeParseException e) {
                    throw new ProxmoxParseException("pct listsnapshot line " + (i + 1) + ": bad time: " + t.group(1), e);
                }
                description = t.group(2).strip();
            }
            String parent = level > 0 && level - 1 < lastAtLevel.size() ? lastAtLevel.get(level - 1) : null;
            while (lastAtLevel.size() > level) {
                lastAtLevel.remove(lastAtLevel.size() - 1);
            }
            while (lastAtLevel.size() < level) {
                lastAtLevel.add(null);
            }
            lastAtLevel.add(name);
            boolean current = name.equals("current") && time == null;
            entries.add(new SnapshotEntry(name, level, parent, time, description, current));
        }
        return List.copyOf(entries);
    }
}
