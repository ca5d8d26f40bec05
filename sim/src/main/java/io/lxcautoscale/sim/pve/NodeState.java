package io.lxcautoscale.sim.pve;

import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a real host knows outside the config files: which containers run, their init PID and start time, and
 * the host's size and clock speed; kept in {@code ROOT/.sim/state} and changed only under {@link NodeLock}.
 *
 * <p>Line format (plain text so the stand-ins start fast): {@code host node=N cpus=C memory_mb=M speed=S
 * boot_ms=T} and one {@code ct <vmid> <running|stopped> pid=P start_ms=T disk=B cpu=F} line per container.
 */
public final class NodeState {
    /** Run state of one container. */
    public static final class Ct {
        public String status = "stopped";
        public int pid;
        public long startMs;
        public long diskUsedBytes;
        /** CPU use as a fraction of the allotment, averaged like pvestatd (for {@code /cluster/resources}). */
        public double cpuFraction;

        public boolean running() {
            return "running".equals(status);
        }
    }

    public String node = "pve-sim";
    public int hostCpus = 8;
    public long hostMemoryMb = 32768;
    public double speed = 1.0;
    public long bootMs = System.currentTimeMillis();
    public int nextPid = 20000;
    public final Map<Integer, Ct> cts = new TreeMap<>();

    public static NodeState read(NodeFiles files) {
        String text;
        try {
            text = Files.readString(files.stateFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("not a simulated node (no " + files.stateFile() + "); start the simulator first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NodeState s = new NodeState();
        for (String line : text.split("\n")) {
            String[] parts = line.strip().split(" +");
            if (parts.length == 0 || parts[0].isEmpty() || parts[0].startsWith("#")) {
                continue;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            int firstKv = parts[0].equals("ct") ? 3 : 1;
            for (int i = firstKv; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            if (parts[0].equals("host")) {
                s.node = kv.getOrDefault("node", s.node);
                s.hostCpus = Integer.parseInt(kv.getOrDefault("cpus", "8"));
                s.hostMemoryMb = Long.parseLong(kv.getOrDefault("memory_mb", "32768"));
                s.speed = Double.parseDouble(kv.getOrDefault("speed", "1"));
                s.bootMs = Long.parseLong(kv.getOrDefault("boot_ms", "0"));
                s.nextPid = Integer.parseInt(kv.getOrDefault("next_pid", "20000"));
            } else if (parts[0].equals("ct") && parts.length >= 3) {
                Ct ct = new Ct();
                ct.status = parts[2];
                ct.pid = Integer.parseInt(kv.getOrDefault("pid", "0"));
                ct.startMs = Long.parseLong(kv.getOrDefault("start_ms", "0"));
                ct.diskUsedBytes = Long.parseLong(kv.getOrDefault("disk", "0"));
                ct.cpuFraction = Double.parseDouble(kv.getOrDefault("cpu", "0"));
                s.cts.put(Integer.parseInt(parts[1]), ct);
            }
        }
        return s;
    }

    public void write(NodeFiles files) {
        StringBuilder out = new StringBuilder("# simulated node state, changed under ROOT/.sim.lock\n");
        out.append("host node=").append(node).append(" cpus=").append(hostCpus).append(" memory_mb=").append(hostMemoryMb)
                .append(" speed=").append(speed).append(" boot_ms=").append(bootMs).append(" next_pid=").append(nextPid).append('\n');
        cts.forEach((vmid, ct) -> out.append("ct ").append(vmid).append(' ').append(ct.status).append(" pid=").append(ct.pid)
                .append(" start_ms=").append(ct.startMs).append(" disk=").append(ct.diskUsedBytes)
                .append(" cpu=").append(String.format(java.util.Locale.ROOT, "%.6f", ct.cpuFraction)).append('\n'));
        AtomicFiles.write(files.stateFile(), out.toString());
    }

    public Ct ct(int vmid) {
        return cts.computeIfAbsent(vmid, k -> new Ct());
    }

    /** Marks a container running with a fresh init PID. */
    public void start(int vmid, long nowMs) {
        Ct ct = ct(vmid);
        ct.status = "running";
        ct.pid = nextPid;
        nextPid += 7 + (vmid % 13);
        ct.startMs = nowMs;
    }

    public void stop(int vmid) {
        Ct ct = ct(vmid);
        ct.status = "stopped";
        ct.pid = 0;
        ct.cpuFraction = 0;
    }

    /** Simulated seconds since {@code sinceMs} (wall clock scaled by the clock speed). */
    public long simSecondsSince(long sinceMs, long nowMs) {
        return (long) ((nowMs - sinceMs) / 1000.0 * speed);
    }
}
