package io.lxcautoscale.common.cgroup;

import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which block devices of {@code io.stat} / {@code blkio.*} to leave out of a container's disk I/O
 * ({@code monitoring.excluded_devices}): an entry {@code MAJ:MIN} (or {@code MAJ:}) matches by number,
 * any other entry is a device-name prefix ({@code loop}, {@code dm-}) matched through
 * {@code <proc_root>/partitions}, which is re-read when an unknown device shows up.
 */
public final class DeviceFilter {
    private static final long REFRESH_NANOS = 60_000_000_000L;

    private final List<String> numberPrefixes = new ArrayList<>();
    private final List<String> namePrefixes = new ArrayList<>();
    private final String partitionsPath;
    private final SmallFileReader reader = new SmallFileReader();
    private final Map<Long, Boolean> decided = new HashMap<>();
    private Map<Long, String> names = Map.of();
    private long lastRefreshNanos;
    private boolean refreshedOnce;

    public DeviceFilter(List<String> excluded, String partitionsPath) {
        for (String entry : excluded) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            if (e.matches("\\d+:\\d*")) {
                numberPrefixes.add(e);
            } else {
                namePrefixes.add(e);
            }
        }
        this.partitionsPath = partitionsPath;
    }

    /** A filter that keeps every device. */
    public static DeviceFilter none() {
        return new DeviceFilter(List.of(), "/nonexistent");
    }

    public boolean isEmpty() {
        return numberPrefixes.isEmpty() && namePrefixes.isEmpty();
    }

    /** True when device {@code major:minor} is excluded. */
    public boolean excluded(int major, int minor) {
        if (isEmpty()) {
            return false;
        }
        long id = ((long) major << 32) | (minor & 0xffffffffL);
        Boolean known = decided.get(id);
        if (known != null) {
            return known;
        }
        String number = major + ":" + minor;
        boolean result = false;
        for (String prefix : numberPrefixes) {
            if (prefix.endsWith(":") ? number.startsWith(prefix) : number.equals(prefix)) {
                result = true;
            }
        }
        if (!result && !namePrefixes.isEmpty()) {
            String name = names.get(id);
            if (name == null && refreshAllowed()) {
                names = readPartitions();
                name = names.get(id);
            }
            if (name == null) {
                // Unknown now; decide again after the next refresh instead of caching a guess.
                return false;
            }
            for (String prefix : namePrefixes) {
                if (name.startsWith(prefix)) {
                    result = true;
                }
            }
        }
        decided.put(id, result);
        return result;
    }

    private boolean refreshAllowed() {
        long now = System.nanoTime();
        if (refreshedOnce && now - lastRefreshNanos < REFRESH_NANOS) {
            return false;
        }
        refreshedOnce = true;
        lastRefreshNanos = now;
        return true;
    }

    /** {@code major minor #blocks name} lines after a header. */
    private Map<Long, String> readPartitions() {
        Map<Long, String> result = new HashMap<>();
        try {
            int len = reader.read(partitionsPath);
            if (len <= 0) {
                return result;
            }
            String[] lines = new String(reader.buffer(), 0, len, java.nio.charset.StandardCharsets.US_ASCII).split("\n");
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].chars().allMatch(Character::isDigit) && f[1].chars().allMatch(Character::isDigit)) {
                    long major = ByteText.digits(f[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, f[0].length());
                    long minor = ByteText.digits(f[1].getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, f[1].length());
                    result.put((major << 32) | minor, f[3]);
                }
            }
        } catch (IOException e) {
            // Names unknown: only MAJ:MIN entries apply until the next refresh.
        }
        return result;
    }
}
