package io.lxcautoscale.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeLock;
import io.lxcautoscale.sim.pve.NodeState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code pvesh} stand-in of the simulated node: {@code pvesh get <path> --output-format json} for the
 * endpoints the autoscaler reads (docs/reference/proxmox-formats.md §9), computed from the node's files like the real handlers.
 */
public final class PveshMain {
    private final NodeFiles files;
    private final PrintStream out;

    PveshMain(NodeFiles files, PrintStream out) {
        this.files = files;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(PctMain.runTool(args, argv -> new PveshMain(PctMain.rootFiles(), System.out).run(argv)));
    }

    int run(List<String> argv) {
        if (argv.size() < 2) {
            throw new CliFailure("ERROR: no command specified\nUSAGE: pvesh <COMMAND> [ARGS] [OPTIONS]", 255);
        }
        String verb = argv.get(0);
        if (!verb.equals("get")) {
            throw new CliFailure("sim: only 'pvesh get' is simulated (got '" + verb + "')", 255);
        }
        String usage = "pvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]";
        Args a = Args.parse(argv.subList(1, argv.size()), Set.of("noborder", "noheader", "human-readable"),
                Set.of("output-format", "type", "vmid", "noborder", "noheader", "human-readable"), usage);
        if (a.positional.size() != 1) {
            throw new CliFailure("400 not enough arguments\n" + usage, 255);
        }
        String format = a.option("output-format") == null ? "text" : a.option("output-format");
        if (!format.equals("json") && !format.equals("json-pretty")) {
            throw new CliFailure("sim: only --output-format json and json-pretty are simulated (got '" + format + "')", 255);
        }
        String path = "/" + a.positional.get(0).replaceAll("^/+|/+$", "");
        Object result;
        try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
            result = get(NodeState.read(files), path, a);
        }
        try {
            out.print((format.equals("json") ? Json.mapper().writeValueAsString(result)
                    : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result)) + "\n");
        } catch (JsonProcessingException e) {
            throw CliFailure.die(e.getMessage());
        }
        return 0;
    }

    private Object get(NodeState state, String path, Args a) {
        String[] p = path.substring(1).split("/");
        if (path.equals("/cluster/resources")) {
            return resources(state, a.option("type"));
        }
        if (path.equals("/cluster/nextid")) {
            return nextid(state, a.option("vmid"));
        }
        if (path.equals("/cluster/status")) {
            // a stand-alone node: one node entry and no cluster entry
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("type", "node");
            n.put("id", "node/" + state.node);
            n.put("name", state.node);
            n.put("ip", "127.0.0.1");
            n.put("local", 1);
            n.put("nodeid", 0);
            n.put("online", 1);
            n.put("level", "");
            return List.of(n);
        }
        if (path.equals("/nodes")) {
            return List.of(nodeResource(state));
        }
        if (p.length >= 2 && p[0].equals("nodes")) {
            if (!p[1].equals(state.node)) {
                throw CliFailure.die("hostname lookup '" + p[1] + "' failed - failed to get address info for: " + p[1]
                        + ": Name or service not known");
            }
            if (p.length == 3 && p[2].equals("status")) {
                return nodeStatus(state);
            }
            if (p.length == 3 && p[2].equals("lxc")) {
                List<Object> list = new ArrayList<>();
                for (Integer vmid : state.cts.keySet()) {
                    GuestConfig conf = conf(state, vmid);
                    if (conf != null) {
                        list.add(StatusView.of(files, state, vmid, conf, false));
                    }
                }
                return list;
            }
            if (p.length >= 4 && p[2].equals("lxc")) {
                int vmid;
                try {
                    vmid = Integer.parseInt(p[3]);
                } catch (NumberFormatException e) {
                    throw CliFailure.param("pvesh get <api_path>", "vmid", "type check ('integer') failed - got '" + p[3] + "'");
                }
                GuestConfig conf = conf(state, vmid);
                if (conf == null) {
                    throw new CliFailure("Configuration file 'nodes/" + state.node + "/lxc/" + vmid + ".conf' does not exist", 2);
                }
                String rest = String.join("/", java.util.Arrays.copyOfRange(p, 4, p.length));
                if (rest.equals("status/current")) {
                    Map<String, Object> s = StatusView.of(files, state, vmid, conf, false);
                    s.put("ha", Map.of("managed", 0));
                    return s;
                }
                if (rest.equals("config")) {
                    Map<String, Object> c = new TreeMap<>(conf.values());
                    for (Map.Entry<String, String> e : conf.values().entrySet()) {
                        if (e.getValue().matches("-?\\d+") && !e.getKey().equals("hostname") && !e.getKey().equals("tags")) {
                            c.put(e.getKey(), Long.parseLong(e.getValue()));
                        }
                    }
                    c.put("digest", GuestConfig.digest(conf.format()));
                    return c;
                }
            }
        }
        throw CliFailure.die("No 'get' handler defined for '" + path + "'");
    }

    private GuestConfig conf(NodeState state, int vmid) {
        Path p = files.confFile(state.node, vmid);
        try {
            return GuestConfig.parse(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    private List<Object> resources(NodeState state, String type) {
        if (type != null && !Set.of("vm", "storage", "node", "sdn").contains(type)) {
            throw CliFailure.param("pvesh get /cluster/resources [OPTIONS]", "type",
                    "value '" + type + "' does not have a value in the enumeration 'vm, storage, node, sdn'");
        }
        List<Object> list = new ArrayList<>();
        if (type == null || type.equals("vm")) {
            for (Integer vmid : state.cts.keySet()) {
                GuestConfig conf = conf(state, vmid);
                if (conf == null) {
                    continue;
                }
                Map<String, Object> s = StatusView.of(files, state, vmid, conf, true);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", "lxc/" + vmid);
                r.put("type", "lxc");
                r.put("vmid", vmid);
                r.put("node", state.node);
                r.put("status", s.get("status"));
                r.put("name", s.get("name"));
                r.put("template", conf.template() ? 1 : 0);
                r.put("uptime", s.get("uptime"));
                r.put("cpu", s.get("cpu"));
                r.put("maxcpu", s.get("cpus"));
                for (String k : new String[] {"mem", "maxmem", "disk", "maxdisk", "netin", "netout", "diskread", "diskwrite"}) {
                    r.put(k, s.get(k));
                }
                if (s.containsKey("lock")) {
                    r.put("lock", s.get("lock"));
                }
                if (s.containsKey("tags")) {
                    r.put("tags", s.get("tags"));
                }
                list.add(r);
            }
        }
        if (type == null || type.equals("node")) {
            list.add(nodeResource(state));
        }
        if (type == null || type.equals("storage")) {
            for (String storage : List.of("local", "local-lvm")) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", "storage/" + state.node + "/" + storage);
                r.put("type", "storage");
                r.put("node", state.node);
                r.put("storage", storage);
                r.put("status", "available");
                r.put("plugintype", storage.equals("local") ? "dir" : "lvmthin");
                r.put("content", storage.equals("local") ? "iso,vztmpl,backup" : "rootdir,images");
                r.put("shared", 0);
                long[] fs = fileStore();
                r.put("disk", fs[1]);
                r.put("maxdisk", fs[0]);
                list.add(r);
            }
        }
        return list;
    }

    private Map<String, Object> nodeResource(NodeState state) {
        Map<String, Long> mem = meminfo();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "node/" + state.node);
        r.put("type", "node");
        r.put("node", state.node);
        r.put("status", "online");
        r.put("level", "");
        r.put("cgroup-mode", 2);
        r.put("cpu", hostCpuFraction(state));
        r.put("maxcpu", state.hostCpus);
        r.put("mem", mem.get("used"));
        r.put("maxmem", mem.get("total"));
        long[] fs = fileStore();
        r.put("disk", fs[1]);
        r.put("maxdisk", fs[0]);
        r.put("uptime", uptime());
        return r;
    }

    private double hostCpuFraction(NodeState state) {
        double used = 0;
        for (NodeState.Ct ct : state.cts.values()) {
            used += ct.running() ? ct.cpuFraction : 0;
        }
        return Math.min(1, used / state.hostCpus);
    }

    private Object nextid(NodeState state, String vmidText) {
        if (vmidText != null) {
            int vmid;
            try {
                vmid = Integer.parseInt(vmidText);
            } catch (NumberFormatException e) {
                throw CliFailure.param("pvesh get /cluster/nextid [OPTIONS]", "vmid", "type check ('integer') failed - got '" + vmidText + "'");
            }
            if (state.cts.containsKey(vmid)) {
                throw CliFailure.die("VM " + vmid + " already exists");
            }
            return Integer.toString(vmid);
        }
        for (int id = 100; id < 1_000_000; id++) {
            if (!state.cts.containsKey(id)) {
                return Integer.toString(id); // Proxmox returns the id as a JSON string
            }
        }
        throw CliFailure.die("unable to get any free VMID in range [100, 1000000)");
    }

    private Map<String, Object> nodeStatus(NodeState state) {
        Map<String, Long> mem = meminfo();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("uptime", uptime());
        s.put("idle", 0);
        String[] load = read(files.proc().resolve("loadavg")).split(" ");
        s.put("loadavg", load.length >= 3 ? List.of(load[0], load[1], load[2]) : List.of("0.00", "0.00", "0.00"));
        s.put("kversion", "Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z) x86_64");
        s.put("current-kernel", Map.of("sysname", "Linux", "release", "6.14.8-2-pve", "machine", "x86_64",
                "version", "#1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z)"));
        s.put("boot-info", Map.of("mode", "efi", "secureboot", 0));
        Map<String, Object> cpuinfo = new LinkedHashMap<>();
        cpuinfo.put("cpus", state.hostCpus);
        cpuinfo.put("cores", Math.max(1, state.hostCpus / 2));
        cpuinfo.put("sockets", 1);
        cpuinfo.put("model", "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz");
        cpuinfo.put("mhz", "2400.000");
        cpuinfo.put("hvm", "1");
        cpuinfo.put("user_hz", 100);
        cpuinfo.put("flags", "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht "
                + "syscall nx lm constant_tsc pni ssse3 fma cx16 sse4_1 sse4_2 x2apic popcnt aes xsave avx f16c rdrand hypervisor lahf_lm avx2");
        s.put("cpuinfo", cpuinfo);
        s.put("cpu", 0); // a one-shot call has no previous sample (docs/reference/proxmox-formats.md §9)
        s.put("wait", 0);
        s.put("memory", Map.of("total", mem.get("total"), "used", mem.get("used"), "free", mem.get("free"),
                "available", mem.get("available")));
        s.put("swap", Map.of("total", mem.get("swaptotal"), "used", mem.get("swaptotal") - mem.get("swapfree"),
                "free", mem.get("swapfree")));
        s.put("ksm", Map.of("shared", 0));
        long[] fs = fileStore();
        s.put("rootfs", Map.of("total", fs[0], "used", fs[1], "free", fs[0] - fs[1], "avail", fs[2]));
        s.put("pveversion", "pve-manager/9.1.1/42db4a6cf33dac83");
        return s;
    }

    private Map<String, Long> meminfo() {
        Map<String, Long> kb = new LinkedHashMap<>();
        for (String line : read(files.proc().resolve("meminfo")).split("\n")) {
            String[] f = line.split("[: ]+");
            if (f.length >= 2) {
                try {
                    kb.put(f[0], Long.parseLong(f[1]) * (line.endsWith("kB") ? 1024 : 1));
                } catch (NumberFormatException e) {
                    // not a number line
                }
            }
        }
        long total = kb.getOrDefault("MemTotal", 0L);
        long available = kb.getOrDefault("MemAvailable", 0L);
        return Map.of("total", total, "free", kb.getOrDefault("MemFree", 0L), "available", available, "used", total - available,
                "swaptotal", kb.getOrDefault("SwapTotal", 0L), "swapfree", kb.getOrDefault("SwapFree", 0L));
    }

    private long uptime() {
        String text = read(files.proc().resolve("uptime")).split(" ")[0].strip();
        try {
            return (long) Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The root file system as the real {@code rootfs} figures come from statvfs of {@code /}: total, used, available. */
    private long[] fileStore() {
        try {
            FileStore store = Files.getFileStore(files.root());
            long total = store.getTotalSpace();
            long free = store.getUnallocatedSpace();
            return new long[] {total, total - free, store.getUsableSpace()};
        } catch (IOException e) {
            return new long[] {0, 0, 0};
        }
    }

    private static String read(Path p) {
        return StatusView.read(p);
    }
}
