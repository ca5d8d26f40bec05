package io.lxcautoscale.common.proxmox;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code pct list}: container id, run state, lock (null when unlocked) and name.
 *
 * <p>{@code pct list} prints fixed-width columns, but a long lock name ({@code snapshot-delete}) overflows
 * its column, so rows are split on whitespace: 3 tokens = unlocked, 4 = locked (the lock is the third).
 * Names never contain spaces (hostname or {@code CT<vmid>}).
 */
public record ListedContainer(int vmid, String status, String lock, String name) {
    /** True when {@code status} is {@code running}. */
    public boolean running() {
        return "running".equals(status);
    }

    /** Parses the whole output of {@code pct list}; the header is optional and empty output means no containers. */
    public static List<ListedContainer> parseList(String stdout) {
        List<ListedContainer> rows = new ArrayList<>();
        String[] lines = stdout.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            if (tokens[0].equals("VMID")) {
                continue;
            }
            int vmid;
            try {
                vmid = Integer.parseInt(tokens[0]);
            } catch (NumberFormatException e) {
                throw new ProxmoxParseException("pct list line " + (i + 1) + ": VMID is not a number: " + line);
            }
            switch (tokens.length) {
                case 3 -> rows.add(new ListedContainer(vmid, tokens[1], null, tokens[2]));
                case 4 -> rows.add(new ListedContainer(vmid, tokens[1], tokens[2], tokens[3]));
                default -> throw new ProxmoxParseException("pct list line " + (i + 1) + ": expected 3 or 4 columns, got "
                        + tokens.length + ": " + line);
            }
        }
        return List.copyOf(rows);
    }
}
