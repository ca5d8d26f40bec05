package io.lxcautoscale.common.proxmox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The output of {@code pct status <vmid> [--verbose 1]}: the run state and, when verbose, every other
 * {@code key: value} line (sizes in bytes, as Proxmox prints them).
 */
public record ContainerStatus(String status, Map<String, String> values) {
    public ContainerStatus {
        values = Map.copyOf(values);
    }

    public boolean running() {
        return "running".equals(status);
    }

    /** A numeric value of the verbose output, or null when absent or not a number. */
    public Long longValue(String key) {
        String v = values.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static ContainerStatus parse(String stdout) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = stdout.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProxmoxParseException("pct status line " + (i + 1) + ": expected 'key: value': " + line);
            }
            values.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        String status = values.get("status");
        if (status == null || status.isEmpty()) {
            throw new ProxmoxParseException("pct status output has no 'status:' line: " + stdout.strip());
        }
        return new ContainerStatus(status, values);
    }
}
