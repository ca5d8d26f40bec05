package io.lxcautoscale.monitor.collect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.metrics.MetricTime;
import io.lxcautoscale.common.proxmox.ContainerConfig;
import io.lxcautoscale.common.cgroup.CgroupLayout;
import io.lxcautoscale.common.cgroup.DeviceFilter;
import io.lxcautoscale.common.cgroup.FileProblems;
import io.lxcautoscale.common.cgroup.FileSet;
import io.lxcautoscale.monitor.host.HostInfo;
import io.lxcautoscale.monitor.host.SelfUsage;
import io.lxcautoscale.monitor.host.VethCounters;
import io.lxcautoscale.monitor.output.SnapshotLine;
import io.lxcautoscale.monitor.output.WarnOnce;
import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.OpenFileBudget;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection cycle over every running container: discover them from the cgroup tree, read each one's
 * files, its veth counters, its root file system and its config, and build the snapshot line (samples plus
 * summary). Keeps the previous figures per container for deltas and rates, and each container's cgroup files
 * open between cycles (one positional read per file per cycle; closed when the container stops). Starts no
 * process. Not thread-safe: the monitor loop calls it from one thread.
 */
public final class Collector implements AutoCloseable {
    /** Version of the snapshot layout written in {@code summary.format_version}. */
    public static final int FORMAT_VERSION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    /** Longest time between two statvfs of a container's root file system (its figures are reused in between). */
    static final long FILESYSTEM_EVERY_NANOS = 30_000_000_000L;
    /** Slots the root file system reads of different containers are spread over. */
    private static final int STAGGER_SLOTS = 8;

    private final CollectorSettings settings;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private final SmallFileReader reader = new SmallFileReader();
    private final DeviceFilter devices;
    private final VethCounters veth;
    private final SelfUsage self = new SelfUsage();
    private final SampleJson samples;
    /** The snapshot line, reused by every cycle. */
    private final SnapshotLine line = new SnapshotLine();
    private final Map<Integer, ContainerState> states = new HashMap<>();
    private final Problems problems = new Problems();
    private final OpenFileBudget budget = new OpenFileBudget();
    /** For a containers directory not on cgroupfs (generated trees, the simulator): nothing kept open. */
    private final OpenFileBudget noFilesKeptOpen = OpenFileBudget.none();
    private CgroupLayout layout;
    /** Whether the containers directory is on cgroupfs (null: not known yet); see {@link FileSet#keepOpen}. */
    private Boolean onCgroupFs;
    private double lastSelfCpuSeconds = -1;
    private long lastCycleNanos;

    public Collector(CollectorSettings settings, Clock clock) {
        this(settings, clock, System::nanoTime);
    }

    /** With an explicit monotonic clock (nanoseconds), so tests control the intervals exactly. */
    public Collector(CollectorSettings settings, Clock clock, LongSupplier nanoTime) {
        this.settings = settings;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.devices = new DeviceFilter(settings.excludedDevices(), settings.procRoot().resolve("partitions").toString());
        this.veth = new VethCounters(settings.sysClassNet(), budget);
        this.samples = new SampleJson(settings);
    }

    /**
     * Takes one sample of every running container and returns the snapshot as a tree: the line of
     * {@link #collectLine()} parsed back (for tests and tools that inspect it; the monitor writes the line).
     */
    public ObjectNode collect() {
        return collectLine().toTree();
    }

    /**
     * Takes one sample of every running container and returns the snapshot line, written straight from the
     * figures with Jackson's streaming generator into a reused buffer (no JSON tree is built). The line is valid
     * until the next call.
     */
    public SnapshotLine collectLine() {
        try {
            return writeSnapshot();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the snapshot into memory", e); // the target is a byte array
        }
    }

    private SnapshotLine writeSnapshot() throws IOException {
        Instant start = clock.instant();
        long startNanos = nanoTime.getAsLong();
        HostInfo host = HostInfo.read(settings.procRoot(), reader);
        if (host.cpus() == 0) {
            warnings.warn("host:cpus", "cannot count host CPUs from " + settings.procRoot().resolve("stat")
                    + "; CPU % of host and of allocation without 'cores' are left out");
        } else {
            warnings.resolved("host:cpus", "host CPUs readable again from " + settings.procRoot().resolve("stat"));
        }
        CgroupLayout current = layoutForThisCycle();

        int[] vmids;
        try {
            vmids = current.runningVmids();
            warnings.resolved("layout:list", "containers can be listed again from " + current.containersDir());
        } catch (IOException e) {
            warnings.warn("layout:list", "cannot list containers in " + current.containersDir() + ": " + e);
            vmids = new int[0];
        }
        if (vmids.length == 0 && !Files.isDirectory(current.containersDir())) {
            warnings.warn("layout:missing", "no containers directory " + current.containersDir()
                    + " (" + current + "); reporting no containers until it appears");
        } else {
            warnings.resolved("layout:missing", "containers directory " + current.containersDir() + " present");
        }
        if (settings.network()) {
            try {
                veth.scan();
                warnings.resolved("net:list", "network interfaces can be listed again in " + settings.sysClassNet());
            } catch (IOException e) {
                warnings.warn("net:list", "cannot list network interfaces in " + settings.sysClassNet() + ": " + e);
            }
        }

        Map<String, Integer> skipped = new TreeMap<>();
        line.reset();
        JsonGenerator g = Json.mapper().getFactory().createGenerator(line);
        g.writeStartObject();
        int collected = 0;
        for (int i = 0; i < vmids.length; i++) {
            int vmid = vmids[i];
            ContainerState state = states.get(vmid);
            if (state == null) {
                FileSet files = current.files(vmid);
                OpenFileBudget containerBudget = onCgroupFs(current) ? budget : noFilesKeptOpen;
                files.keepOpen(containerBudget);
                state = new ContainerState(vmid, files, settings.pveLxcDir(), containerBudget);
                states.put(vmid, state);
            }
            String timestamp;
            ContainerConfig config;
            try {
                timestamp = sample(current, state);
                if (timestamp == null) {
                    skipped.merge("vanished", 1, Integer::sum);
                    states.remove(vmid).close();
                    continue;
                }
                config = allocation(state, state.current.readNanos);
            } catch (RuntimeException e) {
                // One container's unexpected content must not cost the others their sample.
                if (state.warned.add("error")) {
                    LOG.warn("container {}: cannot be sampled: {}", vmid, e.toString(), e);
                }
                skipped.merge("error", 1, Integer::sum);
                state.previous.clear();
                state.current.clear();
                continue;
            }
            samples.write(g, state.key, timestamp, state.previous, state.current, restarted(state), config, host.cpus());
            collected++;
        }
        // Containers that stopped: forget them so a reused VMID starts without stale counters.
        if (states.size() > vmids.length) {
            for (Iterator<ContainerState> it = states.values().iterator(); it.hasNext(); ) {
                ContainerState gone = it.next();
                if (java.util.Arrays.binarySearch(vmids, gone.vmid) < 0) {
                    gone.close();
                    it.remove();
                }
            }
        }

        Instant end = clock.instant();
        long endNanos = nanoTime.getAsLong();
        double durationSeconds = SampleJson.round((endNanos - startNanos) / 1e9, 4);
        g.writeObjectFieldStart("summary");
        g.writeStringField("collection_start_time", MetricTime.format(start));
        g.writeStringField("collection_end_time", MetricTime.format(end));
        g.writeNumberField("total_containers", vmids.length);
        g.writeNumberField("collected_containers", collected);
        g.writeNumberField("total_duration_seconds", durationSeconds);
        double cpuSeconds = self.cpuSeconds();
        if (cpuSeconds >= 0 && lastSelfCpuSeconds >= 0 && startNanos > lastCycleNanos) {
            double percent = (cpuSeconds - lastSelfCpuSeconds) / ((startNanos - lastCycleNanos) / 1e9) * 100;
            g.writeNumberField("monitor_cpu_percent", SampleJson.round(Math.max(0, percent), 2));
        }
        double rssMb = self.rssMb(reader);
        if (rssMb >= 0) {
            g.writeNumberField("monitor_memory_usage_mb", SampleJson.round(rssMb, 2));
        }
        g.writeNumberField("format_version", FORMAT_VERSION);
        if (host.hostname() != null) {
            g.writeStringField("hostname", host.hostname());
        }
        if (host.cpus() > 0) {
            g.writeNumberField("host_cpus", host.cpus());
        }
        if (host.memoryMb() > 0) {
            g.writeNumberField("host_memory_mb", SampleJson.round(host.memoryMb(), 2));
        }
        g.writeNumberField("cgroup_version", current.version());
        if (cpuSeconds >= 0) {
            g.writeNumberField("monitor_cpu_seconds", SampleJson.round(cpuSeconds, 3));
        }
        if (rssMb >= 0) {
            g.writeNumberField("monitor_rss_mb", SampleJson.round(rssMb, 2));
        }
        g.writeObjectFieldStart("skipped");
        for (Map.Entry<String, Integer> reason : skipped.entrySet()) {
            g.writeNumberField(reason.getKey(), reason.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.close();
        line.summary(collected, vmids.length, durationSeconds);
        lastSelfCpuSeconds = cpuSeconds;
        lastCycleNanos = startNanos;
        return line;
    }

    /**
     * Detects v1/v2 at the first cycle, and again only while the containers directory is missing (cgroups not
     * mounted yet at start): switching between v1 and v2 takes a reboot, which restarts the monitor. Each
     * detection costs several stats, which 1,000 containers' worth of cycles need not pay. A change of layout
     * drops all state.
     */
    private CgroupLayout layoutForThisCycle() {
        if (layout != null && Files.isDirectory(layout.containersDir())) {
            return layout;
        }
        CgroupLayout detected = CgroupLayout.detect(settings.cgroupRoot(), devices, settings.swap());
        if (layout == null || layout.version() != detected.version() || !layout.containersDir().equals(detected.containersDir())) {
            if (layout != null) {
                LOG.warn("cgroup layout changed from {} to {}", layout, detected);
            } else {
                LOG.info("reading containers from {}", detected);
            }
            layout = detected;
            onCgroupFs = null;
            closeAll();
        }
        return layout;
    }

    /**
     * Whether the layout's containers directory is on cgroupfs, asked once (a look-up in the mount table). Only
     * there are files kept open: cgroupfs regenerates a file's content on a read at offset 0 and fails the reads
     * of a removed cgroup's files, while on an ordinary file system (a generated tree, the simulator, which
     * replaces files by renaming over them) an open file would keep showing the replaced content.
     */
    private boolean onCgroupFs(CgroupLayout current) {
        if (onCgroupFs == null) {
            try {
                String type = Files.getFileStore(current.containersDir()).type();
                onCgroupFs = type.equals("cgroup") || type.equals("cgroup2");
                LOG.info("containers directory {} is on {}: {}", current.containersDir(), type,
                        onCgroupFs ? "cgroup files are kept open between cycles" : "not cgroupfs, files are opened on every read");
            } catch (IOException e) {
                return false; // asked again for the next new container
            }
        }
        return onCgroupFs;
    }

    /** Closes every file kept open and forgets every container. */
    private void closeAll() {
        states.values().forEach(ContainerState::close);
        states.clear();
    }

    /** Releases every file kept open; the collector can be used again afterwards (files are reopened). */
    @Override
    public void close() {
        closeAll();
        veth.close();
    }

    /** Reads one container into its current figures; returns when (the sample's timestamp), null when it disappeared during the read. */
    private String sample(CgroupLayout current, ContainerState state) {
        state.advance();
        RawCounters cur = state.current;
        problems.state = state;
        cur.readNanos = nanoTime.getAsLong();
        if (!current.read(state.files, cur, reader, problems)) {
            return null;
        }
        if (cur.pids == ByteText.ABSENT) {
            cur.pids = ProcessCount.count(current.nsDir(state.vmid), reader);
        }
        if (settings.network()) {
            veth.read(state.vmid, cur, reader, problems);
        }
        if (settings.filesystem()) {
            // pids.current is hierarchical: 0 means no process anywhere in the container (starting or stopping),
            // so there is no init to look for, and no directory walk below ns/ to pay for.
            int pid = cur.pids == 0 ? 0 : state.initPid.find(current.nsDir(state.vmid), reader);
            cur.initPid = pid;
            if (pid > 0) {
                File root = state.root(settings.procRoot(), pid);
                // java.io.File's space queries are a plain statvfs() of the path; NIO's FileStore would
                // first look the path up in /proc/mounts, which fails for another mount namespace's root.
                long total = root.getTotalSpace();
                if (total > 0) {
                    cur.fsTotalBytes = total;
                    cur.fsFreeBytes = root.getFreeSpace();
                    cur.fsAvailableBytes = root.getUsableSpace();
                }
            }
        }
        return MetricTime.format(clock.instant());
    }

    /**
     * Whether the container restarted between its previous and current figures: a counter that went backwards or
     * a new init process means every counter restarted, so no delta of this cycle is meaningful.
     */
    private static boolean restarted(ContainerState state) {
        RawCounters prev = state.previous;
        RawCounters cur = state.current;
        boolean restarted = (prev.cpuUsageUsec >= 0 && cur.cpuUsageUsec >= 0 && cur.cpuUsageUsec < prev.cpuUsageUsec)
                || (prev.initPid > 0 && cur.initPid > 0 && prev.initPid != cur.initPid);
        if (restarted && state.warned.add("restart")) {
            LOG.info("container {}: counters restarted (container restarted or VMID reused); no rates this cycle", state.vmid);
        }
        return restarted;
    }

    /**
     * The container's root file system figures: a statvfs (three, through java.io.File) when the init PID changed
     * or {@link #FILESYSTEM_EVERY_NANOS} passed, else the figures of the last one.
     */
    private void rootFileSystem(ContainerState state, int pid, RawCounters cur) {
        long now = cur.readNanos;
        boolean newRoot = pid != state.rootPid();
        if (newRoot || now - state.fsReadAtNanos >= FILESYSTEM_EVERY_NANOS) {
            File root = state.root(settings.procRoot(), pid);
            // java.io.File's space queries are a plain statvfs() of the path; NIO's FileStore would
            // first look the path up in /proc/mounts, which fails for the root of another mount namespace.
            long total = root.getTotalSpace();
            state.fsTotalBytes = total > 0 ? total : -1;
            if (total > 0) {
                state.fsFreeBytes = root.getFreeSpace();
                state.fsAvailableBytes = root.getUsableSpace();
            }
            // Spread the containers found in the same cycle over the period (see AllocationSource).
            state.fsReadAtNanos = newRoot && state.fsReadAtNanos == 0
                    ? now - FILESYSTEM_EVERY_NANOS / STAGGER_SLOTS * (state.vmid % STAGGER_SLOTS) : now;
        }
        if (state.fsTotalBytes > 0) {
            cur.fsTotalBytes = state.fsTotalBytes;
            cur.fsFreeBytes = state.fsFreeBytes;
            cur.fsAvailableBytes = state.fsAvailableBytes;
        }
    }

    private ContainerConfig allocation(ContainerState state, long nowNanos) {
        AllocationSource.Result result = state.allocation.current(nowNanos);
        if (result instanceof AllocationSource.Loaded loaded) {
            if (state.warned.remove("config")) {
                LOG.info("container {}: config readable again", state.vmid);
            }
            return loaded.config();
        }
        if (state.warned.add("config")) {
            if (result instanceof AllocationSource.Missing missing) {
                LOG.warn("container {}: no config file {}; allocation figures left out", state.vmid, missing.path());
            } else if (result instanceof AllocationSource.Invalid invalid) {
                LOG.warn("container {}: config {} unusable ({}); allocation figures left out", state.vmid,
                        invalid.path(), invalid.reason());
            }
        }
        return null;
    }

    /** Logs file problems once per container and file. */
    private static final class Problems implements FileProblems {
        ContainerState state;

        @Override
        public void garbage(String path, String what) {
            if (state.warned.add("garbage:" + path)) {
                LOG.warn("container {}: {} has unexpected content ({}); value left out", state.vmid, path, what);
            }
        }

        @Override
        public void unreadable(String path, IOException error) {
            if (state.warned.add("unreadable:" + path)) {
                LOG.warn("container {}: cannot read {}: {}; value left out", state.vmid, path, error.toString());
            }
        }
    }
}
