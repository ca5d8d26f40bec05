package io.lxcautoscale.sim.cli;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeLock;
import io.lxcautoscale.sim.pve.NodeState;
import io.lxcautoscale.sim.pve.SizeText;
import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code pct} stand-in of the simulated node: the subcommands the autoscaler uses, with Proxmox's output
 * formats, messages and exit codes (docs/reference/proxmox-formats.md §8), acting on the node's files under the node lock.
 *
 * <p>Run through the {@code ROOT/bin/pct} wrapper, which passes {@code -Dlxc.sim.root=ROOT}; the environment
 * variable {@code LXC_SIM_LATENCY_MS} (else {@code -Dlxc.sim.latencyMs}) sets how long a call takes in total.
 */
public final class PctMain {
    private static final Pattern SNAPNAME = Pattern.compile("^[a-z][a-z0-9_\\-]+$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("^\\+?\\d+(\\.\\d+)?[KMGT]?$");
    private static final Pattern HOSTNAME = Pattern.compile("^(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?\\.)*[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?$");
    private static final Pattern TAG = Pattern.compile("^[a-z0-9_][a-z0-9_\\-+.]*$", Pattern.CASE_INSENSITIVE);

    private final NodeFiles files;
    private final PrintStream out;

    PctMain(NodeFiles files, PrintStream out) {
        this.files = files;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(runTool(args, argv -> new PctMain(rootFiles(), System.out).run(argv)));
    }

    /** Shared by both stand-ins: waits out the configured latency, runs, maps failures to stderr and exit codes. */
    static int runTool(String[] args, java.util.function.ToIntFunction<List<String>> tool) {
        long startMs = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
        long wait = startMs + latencyMs() - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int code;
        try {
            code = tool.applyAsInt(List.of(args));
        } catch (CliFailure f) {
            System.out.flush();
            System.err.println(f.getMessage());
            code = f.exitCode();
        } catch (RuntimeException e) {
            System.out.flush();
            System.err.println(e.getMessage());
            code = 255;
        }
        System.out.flush();
        return code;
    }

    static NodeFiles rootFiles() {
        String root = System.getProperty("lxc.sim.root");
        if (root == null) {
            throw new CliFailure("simulated node root not set (-Dlxc.sim.root); run through ROOT/bin/pct", 255);
        }
        return new NodeFiles(Path.of(root));
    }

    private static long latencyMs() {
        String env = System.getenv("LXC_SIM_LATENCY_MS");
        String value = env != null ? env : System.getProperty("lxc.sim.latencyMs", "0");
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    int run(List<String> argv) {
        if (argv.isEmpty()) {
            throw new CliFailure("ERROR: no command specified\nUSAGE: pct <COMMAND> [ARGS] [OPTIONS]", 255);
        }
        String cmd = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
            NodeState state = NodeState.read(files);
            switch (cmd) {
                case "list" -> list(state, rest);
                case "config" -> config(state, rest);
                case "pending" -> pending(state, rest);
                case "status" -> status(state, rest);
                case "set" -> set(state, rest);
                case "resize" -> resize(state, rest);
                case "snapshot" -> snapshot(state, rest);
                case "listsnapshot" -> listsnapshot(state, rest);
                case "delsnapshot" -> delsnapshot(state, rest);
                case "rollback" -> rollback(state, rest);
                case "clone" -> clone(state, rest);
                case "start" -> start(state, rest);
                case "stop", "shutdown" -> stop(state, cmd, rest);
                case "destroy" -> destroy(state, rest);
                case "unlock" -> unlock(state, rest);
                default -> throw new CliFailure("ERROR: unknown command 'pct " + cmd + "'\nUSAGE: pct <COMMAND> [ARGS] [OPTIONS]", 255);
            }
        }
        return 0;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Args args(List<String> argv, String usage, int positionals, Set<String> booleans, Set<String> others) {
        Set<String> known = new java.util.HashSet<>(booleans);
        known.addAll(others);
        Args a = Args.parse(argv, booleans, known, usage);
        if (a.positional.size() < positionals) {
            throw new CliFailure("400 not enough arguments\n" + usage, 255);
        }
        if (a.positional.size() > positionals) {
            throw new CliFailure("400 too many arguments\n" + usage, 255);
        }
        return a;
    }

    private static int vmid(String text, String usage, String key) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 100 && v <= 999_999_999) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliFailure.param(usage, key, "invalid format - value does not look like a valid VM ID");
    }

    private Path confPath(NodeState state, int vmid) {
        return files.confFile(state.node, vmid);
    }

    private GuestConfig load(NodeState state, int vmid) {
        Path p = confPath(state, vmid);
        if (!Files.exists(p)) {
            // Perl's die after the failed open keeps errno ENOENT, so the real pct exits 2 here
            throw new CliFailure("Configuration file 'nodes/" + state.node + "/lxc/" + vmid + ".conf' does not exist", 2);
        }
        try {
            return GuestConfig.parse(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw CliFailure.die("unable to read " + p + ": " + e.getMessage());
        }
    }

    private static void checkLock(GuestConfig conf) {
        if (conf.lock() != null) {
            throw CliFailure.die("CT is locked (" + conf.lock() + ")");
        }
    }

    private void save(NodeState state, int vmid, GuestConfig conf) {
        AtomicFiles.write(confPath(state, vmid), conf.format());
    }

    private static String name(int vmid, GuestConfig conf) {
        return conf.hostname() != null ? conf.hostname() : "CT" + vmid;
    }

    // ---- commands ------------------------------------------------------------------------------------------------

    private void list(NodeState state, List<String> argv) {
        args(argv, "pct list", 0, Set.of(), Set.of());
        boolean header = false;
        for (Integer vmid : new java.util.TreeSet<>(state.cts.keySet())) {
            Path p = confPath(state, vmid);
            if (!Files.exists(p)) {
                continue;
            }
            GuestConfig conf = load(state, vmid);
            if (!header) {
                out.print(String.format("%-10s %-10s %-12s %-20s\n", "VMID", "Status", "Lock", "Name"));
                header = true;
            }
            String lock = conf.lock() == null ? "" : conf.lock();
            out.print(String.format("%-10s %-10s %-12s %-20s\n", vmid, state.cts.get(vmid).status, lock, name(vmid, conf)));
        }
    }

    private void config(NodeState state, List<String> argv) {
        String usage = "pct config <vmid> [OPTIONS]";
        Args a = args(argv, usage, 1, Set.of("current"), Set.of("snapshot"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        Map<String, String> values;
        String snap = a.option("snapshot");
        if (snap != null) {
            Map<String, String> s = conf.snapshots().get(snap);
            if (s == null) {
                throw CliFailure.die("snapshot '" + snap + "' does not exist");
            }
            values = new TreeMap<>(s);
        } else {
            values = new TreeMap<>(conf.values());
            if (!a.flag("current")) {
                values.putAll(conf.pending());
                values.remove("delete");
            }
        }
        if (!conf.description().isEmpty() && snap == null) {
            values.put("description", String.join("\n", conf.description()));
        }
        values.remove("digest");
        values.forEach((k, v) -> out.print(k + ": " + v + "\n"));
        if (snap == null) {
            for (String[] raw : conf.rawLxc()) {
                out.print(raw[0] + ": " + raw[1] + "\n");
            }
        }
    }

    private void pending(NodeState state, List<String> argv) {
        String usage = "pct pending <vmid>";
        Args a = args(argv, usage, 1, Set.of(), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        Map<String, String> all = new TreeMap<>(conf.values());
        all.remove("digest");
        all.forEach((k, v) -> {
            String pend = conf.pending().get(k);
            out.print((pend == null ? "cur " : "new ") + k + ": " + (pend == null ? v : pend) + "\n");
        });
    }

    private void status(NodeState state, List<String> argv) {
        String usage = "pct status <vmid> [OPTIONS]";
        Args a = args(argv, usage, 1, Set.of("verbose"), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        Map<String, Object> status = StatusView.of(files, state, vmid, conf, false);
        if (a.flag("verbose")) {
            status.remove("cpu"); // pct status --verbose deliberately omits it (docs/reference/proxmox-formats.md §4)
            status.forEach((k, v) -> out.print(k + ": " + v + "\n"));
        } else {
            out.print("status: " + status.get("status") + "\n");
        }
    }

    private void set(NodeState state, List<String> argv) {
        String usage = "pct set <vmid> [OPTIONS]";
        Args a = args(argv, usage, 1, Set.of("onboot", "protection"),
                Set.of("cores", "cpulimit", "cpuunits", "memory", "swap", "hostname", "tags", "description", "delete", "digest"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        Map<String, String> updates = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : a.options.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            switch (k) {
                case "cores" -> updates.put(k, Long.toString(integer(usage, k, v, 1, 8192)));
                case "cpuunits" -> updates.put(k, Long.toString(integer(usage, k, v, 0, 500_000)));
                case "memory" -> updates.put(k, Long.toString(integer(usage, k, v, 16, Integer.MAX_VALUE)));
                case "swap" -> updates.put(k, Long.toString(integer(usage, k, v, 0, Integer.MAX_VALUE)));
                case "cpulimit" -> updates.put(k, number(usage, k, v, 0, 8192));
                case "hostname" -> {
                    if (!HOSTNAME.matcher(v).matches()) {
                        throw CliFailure.param(usage, k, "invalid format - value does not look like a valid DNS name");
                    }
                    updates.put(k, v);
                }
                case "tags" -> {
                    List<String> tags = new ArrayList<>();
                    for (String t : v.split("[;, ]+")) {
                        if (t.isEmpty()) {
                            continue;
                        }
                        if (!TAG.matcher(t).matches()) {
                            throw CliFailure.param(usage, k, "invalid format - invalid tag '" + t + "'");
                        }
                        tags.add(t.toLowerCase(Locale.ROOT));
                    }
                    updates.put(k, String.join(";", tags.stream().sorted().distinct().toList()));
                }
                case "onboot", "protection", "description" -> updates.put(k, v);
                default -> {
                    // delete and digest are handled below
                }
            }
        }
        if (updates.isEmpty() && a.option("delete") == null) {
            throw CliFailure.die("no options specified");
        }
        GuestConfig conf = load(state, vmid);
        checkLock(conf);
        String digest = a.option("digest");
        if (digest != null) {
            String text;
            try {
                text = Files.readString(confPath(state, vmid), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw CliFailure.die(e.getMessage());
            }
            if (!GuestConfig.digest(text).equalsIgnoreCase(digest)) {
                throw CliFailure.die("detected modified configuration - file changed by other user? Try again.");
            }
        }
        if (a.option("delete") != null) {
            for (String k : a.option("delete").split("[,; ]+")) {
                if (!k.isEmpty()) {
                    if (Set.of("hostname", "rootfs", "arch", "ostype").contains(k)) {
                        throw CliFailure.param(usage, "delete", "unable to delete required option '" + k + "'");
                    }
                    conf.values().remove(k);
                }
            }
        }
        updates.forEach((k, v) -> {
            if (k.equals("description")) {
                conf.description().clear();
                conf.description().addAll(Arrays.asList(v.split("\n")));
            } else {
                conf.put(k, v);
            }
        });
        NodeState.Ct ct = state.cts.get(vmid);
        if (ct != null && ct.running()) {
            // a failed hotplug is a parameter error and the config stays as it was
            hotplug(usage, vmid, conf, updates.keySet(), a.option("delete"));
        }
        save(state, vmid, conf);
    }

    /**
     * Applies hot-pluggable values to the running container's cgroup at once, memory in Proxmox's order
     * ({@code memory.swap.max}, {@code memory.high}, {@code memory.max}). A write the kernel refuses fails the
     * whole command with {@code unable to hotplug memory: …}.
     */
    private void hotplug(String usage, int vmid, GuestConfig conf, Set<String> changed, String deleted) {
        Path cg = files.cgroupDir(vmid);
        if (!Files.isDirectory(cg)) {
            return; // just started: the simulator writes the limits on its next tick
        }
        boolean memory = changed.contains("memory") || changed.contains("swap")
                || (deleted != null && (deleted.contains("memory") || deleted.contains("swap")));
        if (memory) {
            long mb = conf.memoryMb();
            try {
                writeCgroup(cg.resolve("memory.swap.max"), ((long) conf.swapMb() << 20) + "\n");
                writeCgroup(cg.resolve("memory.high"), (mb < 16384 ? mb * 1024 * 1016 : (mb - 128) << 20) + "\n");
                writeCgroup(cg.resolve("memory.max"), (mb << 20) + "\n");
            } catch (java.io.IOException e) {
                throw CliFailure.param(usage, changed.contains("swap") && !changed.contains("memory") ? "swap" : "memory",
                        "unable to hotplug memory: " + e.getMessage());
            }
        }
        if (changed.contains("cpulimit") || (deleted != null && deleted.contains("cpulimit"))) {
            double limit = conf.cpulimit();
            AtomicFiles.write(cg.resolve("cpu.max"), (limit > 0 ? Long.toString((long) (100000 * limit)) : "max") + " 100000\n");
        }
        // cores is "fastplug": only the config changes; the cpuset follows at pvestatd's next rebalance (≤ 10 s)
    }

    /** One cgroup file write; a failure names the file and the kernel's reason, as the write(2) error would. */
    private static void writeCgroup(Path file, String text) throws java.io.IOException {
        try {
            AtomicFiles.write(file, text);
        } catch (java.io.UncheckedIOException e) {
            throw new java.io.IOException("write to " + file.getFileName() + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static long integer(String usage, String key, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw CliFailure.param(usage, key, "type check ('integer') failed - got '" + v + "'");
        }
        if (n < min) {
            throw CliFailure.param(usage, key, "value must have a minimum value of " + min);
        }
        if (n > max) {
            throw CliFailure.param(usage, key, "value must have a maximum value of " + max);
        }
        return n;
    }

    private static String number(String usage, String key, String v, double min, double max) {
        double n;
        try {
            n = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw CliFailure.param(usage, key, "type check ('number') failed - got '" + v + "'");
        }
        if (n < min) {
            throw CliFailure.param(usage, key, "value must have a minimum value of " + (long) min);
        }
        if (n > max) {
            throw CliFailure.param(usage, key, "value must have a maximum value of " + (long) max);
        }
        return v.strip();
    }

    private void resize(NodeState state, List<String> argv) {
        String usage = "pct resize <vmid> <disk> <size> [OPTIONS]";
        Args a = args(argv, usage, 3, Set.of(), Set.of("digest"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        String disk = a.positional.get(1);
        if (!disk.equals("rootfs") && !disk.matches("mp\\d+")) {
            throw CliFailure.param(usage, "disk", "value '" + disk + "' does not have a value in the enumeration 'rootfs, mp0, mp1, ...'");
        }
        String size = a.positional.get(2);
        if (!SIZE.matcher(size).matches()) {
            throw CliFailure.param(usage, "size", "value does not match the regex pattern");
        }
        GuestConfig conf = load(state, vmid);
        checkLock(conf);
        if (!disk.equals("rootfs")) {
            throw CliFailure.die("unable to parse config - no disk '" + disk + "'");
        }
        long current = conf.rootfsSizeBytes();
        long requested = SizeText.parseBytes(size.replace("+", ""));
        long target = size.startsWith("+") ? current + requested : requested;
        if (target < current) {
            throw CliFailure.die("unable to shrink disk size");
        }
        if (target == current) {
            throw CliFailure.die("disk is already at specified size");
        }
        conf.setRootfsSizeBytes(target);
        save(state, vmid, conf);
        out.print("  Size of logical volume pve/vm-" + vmid + "-disk-0 changed from " + gib(current) + " to " + gib(target) + ".\n");
        out.print("  Logical volume pve/vm-" + vmid + "-disk-0 successfully resized.\n");
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    private void snapshot(NodeState state, List<String> argv) {
        String usage = "pct snapshot <vmid> <snapname> [OPTIONS]";
        Args a = args(argv, usage, 2, Set.of(), Set.of("description"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        String snap = a.positional.get(1);
        checkSnapname(usage, snap);
        GuestConfig conf = load(state, vmid);
        checkLock(conf);
        if (conf.snapshots().containsKey(snap)) {
            throw CliFailure.die("snapshot name '" + snap + "' already used");
        }
        Map<String, String> section = new TreeMap<>(conf.values());
        section.remove("lock");
        section.put("snaptime", Long.toString(System.currentTimeMillis() / 1000));
        if (a.option("description") != null) {
            section.put("description", a.option("description"));
        }
        conf.snapshots().put(snap, section);
        conf.put("parent", snap);
        save(state, vmid, conf);
        out.print("  Logical volume \"snap_vm-" + vmid + "-disk-0_" + snap + "\" created.\n");
    }

    private static void checkSnapname(String usage, String snap) {
        if (!SNAPNAME.matcher(snap).matches() || snap.length() > 40) {
            throw CliFailure.param(usage, "snapname", "invalid format - invalid configuration ID '" + snap + "'");
        }
    }

    private void listsnapshot(NodeState state, List<String> argv) {
        String usage = "pct listsnapshot <vmid>";
        Args a = args(argv, usage, 1, Set.of(), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        Map<String, List<String>> children = new TreeMap<>();
        List<String> roots = new ArrayList<>();
        Map<String, Map<String, String>> snaps = conf.snapshots();
        for (Map.Entry<String, Map<String, String>> e : snaps.entrySet()) {
            String parent = e.getValue().get("parent");
            if (parent != null && snaps.containsKey(parent)) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(e.getKey());
            } else {
                roots.add(e.getKey());
            }
        }
        // the pseudo-snapshot "current" hangs below the config's parent
        String parent = conf.get("parent");
        if (parent != null && snaps.containsKey(parent)) {
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add("current");
        } else {
            roots.add("current");
        }
        Comparator<String> byTime = Comparator.comparingLong(n -> n.equals("current") ? Long.MAX_VALUE
                : Long.parseLong(snaps.get(n).getOrDefault("snaptime", "0")));
        roots.sort(byTime);
        children.values().forEach(l -> l.sort(byTime));
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
        for (String root : roots) {
            printSnapshot(root, 0, snaps, children, fmt);
        }
    }

    private void printSnapshot(String name, int depth, Map<String, Map<String, String>> snaps, Map<String, List<String>> children,
                               DateTimeFormatter fmt) {
        String prefix = " ".repeat(depth) + "`->";
        String time = "";
        String description = "You are here!";
        if (!name.equals("current")) {
            Map<String, String> s = snaps.get(name);
            time = fmt.format(Instant.ofEpochSecond(Long.parseLong(s.getOrDefault("snaptime", "0"))));
            String d = s.get("description");
            description = d == null || d.isBlank() ? "no-description" : d.split("\n")[0];
        }
        int width = Math.max(1, 30 - prefix.length());
        out.print(String.format("%s %-" + width + "s %-23s %s\n", prefix, name, time, description));
        for (String child : children.getOrDefault(name, List.of())) {
            printSnapshot(child, depth + 1, snaps, children, fmt);
        }
    }

    private void delsnapshot(NodeState state, List<String> argv) {
        String usage = "pct delsnapshot <vmid> <snapname> [OPTIONS]";
        Args a = args(argv, usage, 2, Set.of("force"), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        String snap = a.positional.get(1);
        GuestConfig conf = load(state, vmid);
        checkLock(conf);
        Map<String, String> removed = conf.snapshots().remove(snap);
        if (removed == null) {
            throw CliFailure.die("snapshot '" + snap + "' does not exist");
        }
        String grandParent = removed.get("parent");
        for (Map<String, String> other : conf.snapshots().values()) {
            if (snap.equals(other.get("parent"))) {
                relink(other, grandParent);
            }
        }
        if (snap.equals(conf.get("parent"))) {
            relink(conf.values(), grandParent);
        }
        save(state, vmid, conf);
        out.print("  Logical volume \"snap_vm-" + vmid + "-disk-0_" + snap + "\" successfully removed.\n");
    }

    private static void relink(Map<String, String> values, String parent) {
        if (parent == null) {
            values.remove("parent");
        } else {
            values.put("parent", parent);
        }
    }

    private void rollback(NodeState state, List<String> argv) {
        String usage = "pct rollback <vmid> <snapname> [OPTIONS]";
        Args a = args(argv, usage, 2, Set.of("start"), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        String snap = a.positional.get(1);
        GuestConfig conf = load(state, vmid);
        checkLock(conf);
        Map<String, String> section = conf.snapshots().get(snap);
        if (section == null) {
            throw CliFailure.die("snapshot '" + snap + "' does not exist");
        }
        NodeState.Ct ct = state.cts.get(vmid);
        if (ct != null && ct.running()) {
            stopNow(state, vmid); // a running CT is hard-stopped first
        }
        conf.values().clear();
        section.forEach((k, v) -> {
            if (!k.equals("snaptime") && !k.equals("description") && !k.equals("parent")) {
                conf.put(k, v);
            }
        });
        conf.put("parent", snap);
        save(state, vmid, conf);
        if (a.flag("start")) {
            state.start(vmid, System.currentTimeMillis());
        }
        state.write(files);
        out.print("  Logical volume \"vm-" + vmid + "-disk-0\" successfully removed.\n");
        out.print("  Logical volume \"vm-" + vmid + "-disk-0\" created.\n");
    }

    private void clone(NodeState state, List<String> argv) {
        String usage = "pct clone <vmid> <newid> [OPTIONS]";
        Args a = args(argv, usage, 2, Set.of("full"),
                Set.of("hostname", "description", "snapname", "storage", "target", "pool", "bwlimit"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        int newid = vmid(a.positional.get(1), usage, "newid");
        if (a.option("hostname") != null && !HOSTNAME.matcher(a.option("hostname")).matches()) {
            throw CliFailure.param(usage, "hostname", "invalid format - value does not look like a valid DNS name");
        }
        if (a.option("target") != null && !a.option("target").equals(state.node)) {
            throw CliFailure.die("storage 'local-lvm' is not shared - cannot clone to node '" + a.option("target") + "'");
        }
        GuestConfig source = load(state, vmid);
        checkLock(source);
        if (Files.exists(confPath(state, newid)) || state.cts.containsKey(newid)) {
            throw CliFailure.die("CT " + newid + " already exists on node '" + state.node + "'");
        }
        String snap = a.option("snapname");
        Map<String, String> values = new TreeMap<>(source.values());
        if (snap != null) {
            Map<String, String> s = source.snapshots().get(snap);
            if (s == null) {
                throw CliFailure.die("snapshot '" + snap + "' does not exist");
            }
            values = new TreeMap<>(s);
            values.remove("snaptime");
        }
        boolean full = source.template() ? a.flag("full") : true;
        NodeState.Ct ct = state.cts.get(vmid);
        if (full && ct != null && ct.running() && snap == null) {
            throw CliFailure.die("Cannot do full clones on a running container without snapshots");
        }
        GuestConfig clone = new GuestConfig();
        values.remove("parent");
        values.remove("lock");
        values.remove("template");
        values.forEach(clone::put);
        if (a.option("hostname") != null) {
            clone.put("hostname", a.option("hostname"));
        }
        if (a.option("description") != null) {
            clone.description().add(a.option("description"));
        }
        String storage = a.option("storage") != null ? a.option("storage") : "local-lvm";
        String rootfs = clone.get("rootfs") == null ? "" : clone.get("rootfs");
        String oldVolume = rootfs.split(",")[0];
        clone.put("rootfs", storage + ":vm-" + newid + "-disk-0" + rootfs.substring(oldVolume.length()));
        String net0 = clone.get("net0");
        if (net0 != null) {
            clone.put("net0", net0.replaceAll("hwaddr=[0-9A-Fa-f:]+",
                    String.format("hwaddr=BC:24:11:%02X:%02X:%02X", (newid >> 16) & 0xFF, (newid >> 8) & 0xFF, newid & 0xFF)));
        }
        AtomicFiles.write(confPath(state, newid), clone.format());
        state.stop(newid);
        state.write(files);
        out.print("create full clone of drive rootfs (" + oldVolume + ")\n");
        out.print("  Logical volume \"vm-" + newid + "-disk-0\" created.\n");
    }

    private void start(NodeState state, List<String> argv) {
        String usage = "pct start <vmid> [OPTIONS]";
        Args a = args(argv, usage, 1, Set.of("skiplock"), Set.of("debug"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        if (!a.flag("skiplock")) {
            checkLock(conf);
        }
        if (conf.template()) {
            throw CliFailure.die("you can't start a CT if it's a template");
        }
        NodeState.Ct ct = state.ct(vmid);
        if (ct.running()) {
            throw CliFailure.die("CT " + vmid + " already running");
        }
        state.start(vmid, System.currentTimeMillis());
        state.write(files);
    }

    private void stop(NodeState state, String cmd, List<String> argv) {
        String usage = "pct " + cmd + " <vmid> [OPTIONS]";
        Args a = cmd.equals("stop") ? args(argv, usage, 1, Set.of("skiplock", "overrule-shutdown"), Set.of("timeout"))
                : args(argv, usage, 1, Set.of("forceStop"), Set.of("timeout"));
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        if (!a.flag("skiplock")) {
            checkLock(conf);
        }
        NodeState.Ct ct = state.ct(vmid);
        if (!ct.running()) {
            throw CliFailure.die("CT " + vmid + " not running");
        }
        stopNow(state, vmid);
        state.write(files);
    }

    /** Marks the CT stopped and removes its cgroup, veth and /proc entries at once, as the kernel would. */
    private void stopNow(NodeState state, int vmid) {
        int pid = state.ct(vmid).pid;
        state.stop(vmid);
        AtomicFiles.deleteTree(files.cgroupDir(vmid));
        AtomicFiles.deleteTree(files.netDir(vmid));
        if (pid > 0) {
            AtomicFiles.deleteTree(files.proc().resolve(Integer.toString(pid)));
        }
    }

    private void destroy(NodeState state, List<String> argv) {
        String usage = "pct destroy <vmid> [OPTIONS]";
        Args a = args(argv, usage, 1, Set.of("force", "purge", "destroy-unreferenced-disks"), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        checkLock(conf);
        if ("1".equals(conf.get("protection"))) {
            throw CliFailure.die("can't remove CT " + vmid + " - protection mode enabled");
        }
        NodeState.Ct ct = state.ct(vmid);
        if (ct.running()) {
            if (!a.flag("force")) {
                throw CliFailure.die("unable to destroy CT " + vmid + " - container is running");
            }
            stopNow(state, vmid);
        }
        try {
            Files.deleteIfExists(confPath(state, vmid));
        } catch (java.io.IOException e) {
            throw CliFailure.die("unable to remove config: " + e.getMessage());
        }
        state.cts.remove(vmid);
        state.write(files);
        out.print("  Logical volume \"vm-" + vmid + "-disk-0\" successfully removed.\n");
    }

    private void unlock(NodeState state, List<String> argv) {
        String usage = "pct unlock <vmid>";
        Args a = args(argv, usage, 1, Set.of(), Set.of());
        int vmid = vmid(a.positional.get(0), usage, "vmid");
        GuestConfig conf = load(state, vmid);
        conf.values().remove("lock");
        save(state, vmid, conf);
    }
}
