package io.lxcautoscale.sim.demo;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo reads back from a simulated node's files, as an outside observer (the live table, the cluster's
 * API mirror): the container configs and a running container's cgroup figures. Files being rewritten at that
 * moment read as absent or zero; the next read sees them.
 */
final class NodeReadings {
    private NodeReadings() {
    }

    /** The containers' configs of {@code node}, by VMID. */
    static Map<Integer, GuestConfig> configs(NodeFiles files, String node) {
        Map<Integer, GuestConfig> out = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(files.confDir(node), "[0-9]*.conf")) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                try {
                    out.put(Integer.parseInt(n.substring(0, n.length() - 5)), GuestConfig.parse(p.toString(), Files.readString(p)));
                } catch (IOException | RuntimeException e) {
                    // being rewritten or removed right now: read on the next call
                }
            }
        } catch (IOException e) {
            // no config folder yet
        }
        return out;
    }

    /** {@code usage_usec} of the container's {@code cpu.stat}: CPU time used since it started, in µs. */
    static long cpuUsageMicros(Path cgroup) {
        return flat(read(cgroup.resolve("cpu.stat")), "usage_usec");
    }

    /** Memory used without page cache and tmpfs: {@code memory.current} − {@code file} of {@code memory.stat}. */
    static long memoryUsedBytes(Path cgroup) {
        return parse(read(cgroup.resolve("memory.current"))) - flat(read(cgroup.resolve("memory.stat")), "file");
    }

    /** {@code oom_kill} of the container's {@code memory.events}. */
    static long oomKills(Path cgroup) {
        return flat(read(cgroup.resolve("memory.events")), "oom_kill");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long flat(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + " ")) {
                return parse(line.substring(key.length() + 1));
            }
        }
        return 0;
    }
}
