package io.lxcautoscale.sim.world;

import io.lxcautoscale.sim.pve.GuestConfig;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeLock;
import io.lxcautoscale.sim.pve.NodeState;
import io.lxcautoscale.sim.scenario.ContainerSpec;
import io.lxcautoscale.sim.scenario.Scenario;
import io.lxcautoscale.sim.tree.AtomicFiles;
import io.lxcautoscale.sim.workload.Profile;
import io.lxcautoscale.sim.workload.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated node over time: each {@link #tick()} re-reads the container configs and run state (changed by
 * the {@code pct} stand-in), advances every running container's counters and rewrites the file tree.
 */
public final class World {
    private static final Logger LOG = LoggerFactory.getLogger(World.class);
    /** Host processes outside any container (the Proxmox services), in cores and bytes. */
    private static final double HOST_BASE_CORES = 0.15;
    private static final long HOST_BASE_MEMORY_BYTES = 1_400L << 20;
    /** pvestatd's update loop: {@code rebalance_lxc_containers} applies {@code cores} as cpusets this often. */
    static final double REBALANCE_SECONDS = 10;

    private final NodeFiles files;
    private final Scenario scenario;
    private final LongSupplier nowMs;
    private final Map<Integer, ContainerSpec> specs = new HashMap<>();
    private final Map<Integer, ContainerWorld> containers = new TreeMap<>();
    private final Map<Integer, Integer> pids = new HashMap<>();
    private final Map<Integer, Limits> lastLimits = new HashMap<>();
    private final Map<Integer, GuestConfig> lastGoodConfs = new HashMap<>();
    /** The cpuset each running container got at the last rebalance. */
    private final Map<Integer, List<Integer>> cpusets = new HashMap<>();
    private double nextRebalanceSeconds;
    private final Set<String> warned = new HashSet<>();
    private final TreeOutput out = new TreeOutput();
    private final HostCpuTicks hostTicks;
    private long startMs;
    private double lastSimSeconds;
    private double netLoRx;

    public World(NodeFiles files, Scenario scenario, LongSupplier nowMs) {
        this.files = files;
        this.scenario = scenario;
        this.nowMs = nowMs;
        this.hostTicks = new HostCpuTicks(scenario.host().cpus());
        for (ContainerSpec spec : scenario.containers()) {
            specs.put(spec.vmid(), spec);
        }
    }

    /**
     * Builds a fresh node under the root: the config files, the run state, the host files. Refuses a non-empty
     * folder that is not a simulated node, so a wrong {@code --root} never deletes anything else.
     */
    public void initialize() {
        Path root = files.root();
        try {
            if (Files.isDirectory(root) && !Files.exists(files.simDir())) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                    if (entries.iterator().hasNext()) {
                        throw new IllegalStateException(root + " is not empty and is not a simulated node (no .sim folder); "
                                + "choose an empty or new folder");
                    }
                }
            }
            Files.createDirectories(root);
            try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
                for (String sub : List.of("sys", "proc", "etc/pve", "etc/hostname", ".sim")) {
                    AtomicFiles.deleteTree(root.resolve(sub));
                }
                Files.createDirectories(files.simDir());
                String node = scenario.host().node();
                AtomicFiles.write(files.hostnameFile(), node + "\n");
                Files.createDirectories(files.confDir(node));
                Files.createSymbolicLink(files.confLink(), Path.of("nodes", node, "lxc"));
                AtomicFiles.write(files.cgroupRoot().resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
                AtomicFiles.write(files.cgroupRoot().resolve("lxc/cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
                startMs = nowMs.getAsLong();
                NodeState state = new NodeState();
                state.node = node;
                state.hostCpus = scenario.host().cpus();
                state.hostMemoryMb = scenario.host().memoryMb();
                state.speed = scenario.speed();
                state.bootMs = startMs - 3 * 86_400_000L; // the host booted before the containers started
                for (ContainerSpec spec : scenario.containers()) {
                    AtomicFiles.write(files.confFile(node, spec.vmid()), initialConfig(spec).format());
                    if (spec.running()) {
                        state.start(spec.vmid(), startMs);
                    } else {
                        state.stop(spec.vmid());
                    }
                }
                state.write(files);
                refresh(state, 0, 0);
                state.write(files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the simulated node under " + root, e);
        }
    }

    /** Simulated seconds since {@link #initialize()}. */
    public double simSeconds() {
        return (nowMs.getAsLong() - startMs) / 1000.0 * scenario.speed();
    }

    /** One refresh: reads configs and state under the node lock, advances the containers, rewrites the tree. */
    public void tick() {
        double t = simSeconds();
        double dt = Math.max(0, t - lastSimSeconds);
        try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
            NodeState state = NodeState.read(files);
            refresh(state, t, dt);
            state.write(files);
        }
        lastSimSeconds = t;
    }

    /**
     * A restart-mode migration leaving this node, first half (what {@code vzmigrate} does before it copies): the
     * container is shut down and its config gets {@code lock: migrate}.
     */
    public void beginMigrationOut(int vmid) {
        String node = scenario.host().node();
        try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
            GuestConfig conf = GuestConfig.parse(files.confFile(node, vmid).toString(),
                    Files.readString(files.confFile(node, vmid), StandardCharsets.UTF_8));
            conf.put("lock", "migrate");
            AtomicFiles.write(files.confFile(node, vmid), conf.format());
            NodeState state = NodeState.read(files);
            state.stop(vmid);
            state.write(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock container " + vmid + " for its migration", e);
        }
    }

    /**
     * The second half: the config leaves this node (its lock cleared, as the target gets it) and the container with it;
     * returns the config and the scenario's spec of the container (null when the scenario does not know it).
     */
    public Migrated endMigrationOut(int vmid) {
        String node = scenario.host().node();
        try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
            Path file = files.confFile(node, vmid);
            GuestConfig conf = GuestConfig.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            conf.values().remove("lock");
            Files.delete(file);
            NodeState state = NodeState.read(files);
            state.cts.remove(vmid);
            state.write(files);
            removeRunningFiles(vmid);
            containers.remove(vmid);
            return new Migrated(vmid, conf, specs.remove(vmid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move container " + vmid + " off " + node, e);
        }
    }

    /** A container on its way between two nodes: its config and what the scenario said it does. */
    public record Migrated(int vmid, GuestConfig config, ContainerSpec spec) {
    }

    /** A migration arriving on this node: its config is written here and the container started, with its workload. */
    public void migrateIn(Migrated ct) {
        String node = scenario.host().node();
        try (NodeLock ignored = NodeLock.acquire(files.lockFile())) {
            if (ct.spec() != null) {
                specs.put(ct.vmid(), ct.spec());
            }
            AtomicFiles.write(files.confFile(node, ct.vmid()), ct.config().format());
            NodeState state = NodeState.read(files);
            state.start(ct.vmid(), nowMs.getAsLong());
            state.write(files);
        }
    }

    /** The running containers' world, for tests and the demo. */
    public Map<Integer, ContainerWorld> containers() {
        return containers;
    }

    private void refresh(NodeState state, double t, double dt) {
        String node = state.node;
        Map<Integer, GuestConfig> confs = readConfigs(node);
        // containers whose config vanished were destroyed
        for (Integer vmid : new ArrayList<>(state.cts.keySet())) {
            if (!confs.containsKey(vmid)) {
                state.cts.remove(vmid);
            }
        }
        for (Integer vmid : confs.keySet()) {
            state.ct(vmid); // a clone appears stopped
        }
        if (t >= nextRebalanceSeconds) {
            cpusets.clear();
            cpusets.putAll(assignCpusets(state, confs));
            nextRebalanceSeconds = (Math.floor(t / REBALANCE_SECONDS) + 1) * REBALANCE_SECONDS;
        }
        double[] busyPerCpu = new double[state.hostCpus];
        for (Map.Entry<Integer, NodeState.Ct> e : state.cts.entrySet()) {
            int vmid = e.getKey();
            NodeState.Ct ct = e.getValue();
            ContainerWorld world = containers.get(vmid);
            if (!ct.running()) {
                cpusets.remove(vmid);
                if (world != null || pids.containsKey(vmid)) {
                    removeRunningFiles(vmid);
                    containers.remove(vmid);
                }
                continue;
            }
            GuestConfig conf = confs.get(vmid);
            try {
                // started since the last rebalance: the cgroup inherits every host CPU until the next one
                List<Integer> cpuset = cpusets.computeIfAbsent(vmid, k -> allCpus(state.hostCpus));
                advanceContainer(vmid, ct, conf, t, dt, cpuset, state.hostCpus, busyPerCpu);
            } catch (RuntimeException ex) {
                // one hand-edited config must not stop the other containers
                if (warned.add(vmid + ":" + ex.getMessage())) {
                    LOG.warn("container {}: not advanced this tick: {}", vmid, ex.toString());
                }
            }
        }
        writeHost(state, t, dt, busyPerCpu);
    }

    private void advanceContainer(int vmid, NodeState.Ct ct, GuestConfig conf, double t, double dt, List<Integer> cpuset,
                                  int hostCpus, double[] busyPerCpu) {
        ContainerWorld world = containers.get(vmid);
        if (world == null || !Integer.valueOf(ct.pid).equals(pids.get(vmid))) {
            if (world != null) {
                removeRunningFiles(vmid); // restarted: counters start again from zero
            }
            world = new ContainerWorld(vmid, workloadFor(vmid), initialDiskUsed(vmid, conf));
            containers.put(vmid, world);
            pids.put(vmid, ct.pid);
        }
        Limits limits = limitsOf(vmid, conf, hostCpus, cpuset);
        world.advance(t, dt, limits);
        world.diskUsedBytes = Math.min(world.diskUsedBytes, 0.98 * diskSize(conf));
        ct.diskUsedBytes = world.diskUsedBytes();
        ct.cpuFraction = world.cpuFraction();
        writeContainer(world, ct);
        List<Integer> set = limits.cpuset();
        for (int cpu : set) {
            busyPerCpu[cpu] += world.usedCores() / set.size();
        }
    }

    private static double diskSize(GuestConfig conf) {
        try {
            return conf.rootfsSizeBytes();
        } catch (RuntimeException e) {
            return 4.0 * (1L << 30); // Proxmox's default when the size is unknown
        }
    }

    private Map<Integer, GuestConfig> readConfigs(String node) {
        Map<Integer, GuestConfig> confs = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(files.confDir(node), "[0-9]*.conf")) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                int vmid;
                try {
                    vmid = Integer.parseInt(name.substring(0, name.length() - 5));
                } catch (NumberFormatException e) {
                    continue;
                }
                try {
                    GuestConfig conf = GuestConfig.parse(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
                    confs.put(vmid, conf);
                    lastGoodConfs.put(vmid, conf);
                } catch (IOException | RuntimeException e) {
                    if (warned.add(p + e.getMessage())) {
                        LOG.warn("cannot read {}: {}; the container keeps its previous limits", p, e.getMessage());
                    }
                    GuestConfig previous = lastGoodConfs.get(vmid);
                    if (previous != null) {
                        confs.put(vmid, previous); // unreadable is not deleted: the container stays
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + files.confDir(node), e);
        }
        return confs;
    }

    private static List<Integer> allCpus(int hostCpus) {
        List<Integer> cpus = new ArrayList<>();
        for (int i = 0; i < hostCpus; i++) {
            cpus.add(i);
        }
        return cpus;
    }

    /**
     * Like pvestatd's rebalancing: each running CT gets {@code cores} CPUs (all host CPUs without {@code cores}),
     * CTs placed one after another. Runs every {@link #REBALANCE_SECONDS}, so a changed {@code cores} takes effect
     * only then ({@code pct set --cores} writes nothing but the config).
     */
    private static Map<Integer, List<Integer>> assignCpusets(NodeState state, Map<Integer, GuestConfig> confs) {
        Map<Integer, List<Integer>> out = new HashMap<>();
        int offset = 0;
        for (Map.Entry<Integer, NodeState.Ct> e : state.cts.entrySet()) {
            GuestConfig conf = confs.get(e.getKey());
            if (!e.getValue().running() || conf == null) {
                continue;
            }
            Integer cores;
            try {
                cores = conf.cores();
            } catch (NumberFormatException ex) {
                cores = null;
            }
            List<Integer> cpus = new ArrayList<>();
            int n = cores == null ? state.hostCpus : Math.min(cores, state.hostCpus);
            for (int i = 0; i < n; i++) {
                cpus.add(cores == null ? i : (offset + i) % state.hostCpus);
            }
            if (cores != null) {
                offset = (offset + n) % state.hostCpus;
            }
            out.put(e.getKey(), cpus);
        }
        return out;
    }

    private Limits limitsOf(int vmid, GuestConfig conf, int hostCpus, List<Integer> cpuset) {
        try {
            Limits l = new Limits(conf.cores(), conf.cpulimit(), conf.memoryMb(), conf.swapMb(), hostCpus, cpuset);
            lastLimits.put(vmid, l);
            return l;
        } catch (RuntimeException e) {
            if (warned.add(vmid + e.getMessage())) {
                LOG.warn("container {}: unusable limit in its config ({}); keeping the previous limits", vmid, e.getMessage());
            }
            Limits prev = lastLimits.get(vmid);
            return prev != null ? prev : new Limits(1, 0, 512, 0, hostCpus, cpuset);
        }
    }

    private Workload workloadFor(int vmid) {
        ContainerSpec spec = specs.get(vmid);
        if (spec != null) {
            return spec.workload().get();
        }
        // a container the scenario does not know (a clone): an idle system
        Supplier<Workload> idle = () -> new Workload.Idle(0.02,
                new Profile(96, 64, 2, 4, 1, 1, 12, 0.05, scenario.seed() * 1_000_003L + vmid));
        return idle.get();
    }

    private double initialDiskUsed(int vmid, GuestConfig conf) {
        ContainerSpec spec = specs.get(vmid);
        double gb = spec != null ? spec.diskUsedGb() : diskSize(conf) / (1L << 30) * 0.25;
        return gb * (1L << 30);
    }

    private void writeContainer(ContainerWorld world, NodeState.Ct ct) {
        int vmid = world.vmid();
        Path cg = files.cgroupDir(vmid);
        for (Map.Entry<String, String> f : CgroupFiles.render(world, ct.pid).entrySet()) {
            out.write(cg.resolve(f.getKey()), f.getValue());
        }
        Path net = files.netDir(vmid).resolve("statistics");
        // host view of the veth pair: what the container sends arrives as host rx
        out.write(net.resolve("rx_bytes"), (long) world.netTxBytes + "\n");
        out.write(net.resolve("tx_bytes"), (long) world.netRxBytes + "\n");
        out.write(net.resolve("rx_packets"), (long) (world.netTxBytes / 900) + "\n");
        out.write(net.resolve("tx_packets"), (long) (world.netRxBytes / 900) + "\n");
        out.write(files.netDir(vmid).resolve("operstate"), "up\n");
        Path proc = files.proc().resolve(Integer.toString(ct.pid));
        out.mkdirs(proc.resolve("root"));
        out.write(proc.resolve("stat"), ProcFiles.pidStat(ct.pid, world, ticksSinceBoot(ct.startMs)));
        out.write(proc.resolve("comm"), "systemd\n");
    }

    private long ticksSinceBoot(long sinceMs) {
        // the host booted three simulated days before initialize(); starttime is in USER_HZ (100) ticks
        double bootSim = 3 * 86_400.0;
        return (long) ((bootSim + (sinceMs - startMs) / 1000.0 * scenario.speed()) * 100);
    }

    private void removeRunningFiles(int vmid) {
        Integer pid = pids.remove(vmid);
        out.delete(files.cgroupDir(vmid));
        out.delete(files.netDir(vmid));
        if (pid != null) {
            out.delete(files.proc().resolve(Integer.toString(pid)));
        }
    }

    private void writeHost(NodeState state, double t, double dt, double[] busyPerCpu) {
        hostTicks.advance(busyPerCpu, HOST_BASE_CORES, dt);
        Path proc = files.proc();
        long usedBytes = HOST_BASE_MEMORY_BYTES;
        long cacheBytes = 600L << 20;
        long swapUsed = 0;
        double rx = 0;
        double tx = 0;
        StringBuilder netdev = new StringBuilder();
        for (ContainerWorld c : containers.values()) {
            usedBytes += c.anonBytes + c.kernelBytes;
            cacheBytes += c.fileBytes;
            swapUsed += c.swapBytes;
            netdev.append(ProcFiles.netDevLine("veth" + c.vmid() + "i0", (long) c.netTxBytes, (long) c.netRxBytes));
            rx += c.netRxBytes;
            tx += c.netTxBytes;
        }
        netLoRx += dt * 20_000;
        String lo = ProcFiles.netDevLine("lo", (long) netLoRx, (long) netLoRx);
        String vmbr = ProcFiles.netDevLine("vmbr0", (long) (rx * 1.02), (long) (tx * 1.02));
        out.write(proc.resolve("net/dev"), ProcFiles.NET_DEV_HEADER + lo + vmbr + netdev);
        out.write(proc.resolve("stat"), hostTicks.procStat(state.bootMs / 1000, state.nextPid));
        out.write(proc.resolve("meminfo"), ProcFiles.meminfo(state.hostMemoryMb << 20, usedBytes, cacheBytes, swapUsed));
        double uptime = 3 * 86_400.0 + t;
        out.write(proc.resolve("uptime"), String.format(java.util.Locale.ROOT, "%.2f %.2f\n", uptime,
                hostTicks.idleSeconds()));
        out.write(proc.resolve("loadavg"), hostTicks.loadavg(containers.size(), state.nextPid));
        out.write(proc.resolve("sys/kernel/hostname"), state.node + "\n");
        StringBuilder partitions = new StringBuilder("major minor  #blocks  name\n\n");
        partitions.append(String.format("%4d  %7d %10d %s\n", 8, 0, 500_107_608L, "sda"));
        partitions.append(String.format("%4d  %7d %10d %s\n", 8, 3, 499_057_664L, "sda3"));
        for (ContainerWorld c : containers.values()) {
            // each CT's rootfs is an LVM-thin volume, device-mapper major 253 (the device of its io.stat line)
            int minor = CgroupFiles.deviceMinor(c.vmid());
            partitions.append(String.format("%4d  %7d %10d %s\n", 253, minor, 8_388_608L, "dm-" + minor));
        }
        out.write(proc.resolve("partitions"), partitions.toString());
    }

    private GuestConfig initialConfig(ContainerSpec spec) {
        GuestConfig c = new GuestConfig();
        c.put("arch", "amd64");
        if (spec.cores() != null) {
            c.put("cores", Integer.toString(spec.cores()));
        }
        if (spec.cpulimit() > 0) {
            c.put("cpulimit", stripZeros(spec.cpulimit()));
        }
        c.put("features", "nesting=1");
        c.put("hostname", spec.hostname());
        c.put("memory", Integer.toString(spec.memoryMb()));
        c.put("net0", String.format("name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:%02X:%02X:%02X,ip=dhcp,type=veth",
                (spec.vmid() >> 16) & 0xFF, (spec.vmid() >> 8) & 0xFF, spec.vmid() & 0xFF));
        c.put("ostype", "debian");
        c.put("rootfs", "local-lvm:vm-" + spec.vmid() + "-disk-0,size=" + spec.diskGb() + "G");
        c.put("swap", Integer.toString(spec.swapMb()));
        if (!spec.tags().isEmpty()) {
            c.put("tags", String.join(";", spec.tags()));
        }
        if (!spec.lock().isEmpty()) {
            c.put("lock", spec.lock());
        }
        c.put("unprivileged", "1");
        return c;
    }

    static String stripZeros(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
