package io.lxcautoscale.sim.cli;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's status object as Proxmox's {@code vmstatus} computes it (docs/reference/proxmox-formats.md §4), read from the same
 * files: {@code mem = memory.current − memory.stat:file}, {@code diskread} = Σ {@code io.stat rbytes}, network from
 * the host side of the veth pair (swapped), pressure from the {@code avg10} of the PSI files.
 */
final class StatusView {
    private StatusView() {
    }

    /** The status map; {@code cpu} is the pvestatd-like average when {@code pvestatdCpu}, else 0 as a one-shot call gives. */
    static Map<String, Object> of(NodeFiles files, NodeState state, int vmid, GuestConfig conf, boolean pvestatdCpu) {
        NodeState.Ct ct = state.cts.getOrDefault(vmid, new NodeState.Ct());
        Map<String, Object> m = new TreeMap<>();
        boolean running = ct.running();
        m.put("vmid", vmid);
        m.put("status", running ? "running" : "stopped");
        m.put("name", conf.hostname() != null ? conf.hostname() : "CT" + vmid);
        m.put("type", "lxc");
        Integer cores = safeCores(conf);
        double cpulimit = safeDouble(conf.get("cpulimit"));
        Object cpus;
        if (cores != null) {
            cpus = cpulimit > 0 && cpulimit < cores ? (Object) cpulimit : (Object) cores;
        } else {
            cpus = cpulimit > 0 ? (Object) cpulimit : (Object) state.hostCpus;
        }
        m.put("cpus", cpus);
        m.put("maxmem", (long) safeInt(conf.get("memory"), 512) << 20);
        m.put("maxswap", (long) safeInt(conf.get("swap"), 0) << 20);
        long maxdisk;
        try {
            maxdisk = conf.rootfsSizeBytes();
        } catch (RuntimeException e) {
            maxdisk = 4L << 30;
        }
        m.put("maxdisk", maxdisk);
        if (conf.lock() != null) {
            m.put("lock", conf.lock());
        }
        if (conf.get("tags") != null) {
            m.put("tags", conf.get("tags"));
        }
        if (conf.template()) {
            m.put("template", 1);
        }
        m.put("cpu", running && pvestatdCpu ? (Object) round(ct.cpuFraction, 6) : (Object) 0);
        if (!running) {
            for (String k : new String[] {"mem", "swap", "disk", "netin", "netout", "diskread", "diskwrite", "uptime"}) {
                m.put(k, 0);
            }
            m.put("disk", 0);
            return m;
        }
        Path cg = files.cgroupDir(vmid);
        long current = readLong(cg.resolve("memory.current"));
        long file = statValue(read(cg.resolve("memory.stat")), "file");
        m.put("pid", ct.pid);
        m.put("mem", Math.max(0, current - file));
        m.put("swap", readLong(cg.resolve("memory.swap.current")));
        m.put("disk", ct.diskUsedBytes);
        long rbytes = 0;
        long wbytes = 0;
        for (String line : read(cg.resolve("io.stat")).split("\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("rbytes=")) {
                    rbytes += Long.parseLong(field.substring(7));
                } else if (field.startsWith("wbytes=")) {
                    wbytes += Long.parseLong(field.substring(7));
                }
            }
        }
        m.put("diskread", rbytes);
        m.put("diskwrite", wbytes);
        Path net = files.netDir(vmid).resolve("statistics");
        m.put("netout", readLong(net.resolve("rx_bytes")));
        m.put("netin", readLong(net.resolve("tx_bytes")));
        m.put("uptime", state.simSecondsSince(ct.startMs, System.currentTimeMillis()));
        for (String kind : new String[] {"cpu", "memory", "io"}) {
            String text = read(cg.resolve(kind + ".pressure"));
            m.put("pressure" + kind + "some", avg10(text, "some"));
            m.put("pressure" + kind + "full", avg10(text, "full"));
        }
        return m;
    }

    private static Integer safeCores(GuestConfig conf) {
        try {
            return conf.cores();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static double safeDouble(String v) {
        try {
            return v == null ? 0 : Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int safeInt(String v, int dflt) {
        try {
            return v == null ? dflt : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static double avg10(String text, String kind) {
        for (String line : text.split("\n")) {
            if (line.startsWith(kind + " ")) {
                for (String f : line.split(" ")) {
                    if (f.startsWith("avg10=")) {
                        return Double.parseDouble(f.substring(6));
                    }
                }
            }
        }
        return 0;
    }

    static long statValue(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).strip());
            }
        }
        return 0;
    }

    static long readLong(Path p) {
        String s = read(p).strip();
        if (s.isEmpty() || s.equals("max")) {
            return 0;
        }
        return Long.parseLong(s);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return ""; // the container stopped between listing and reading: figures are 0, as on a real host
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
