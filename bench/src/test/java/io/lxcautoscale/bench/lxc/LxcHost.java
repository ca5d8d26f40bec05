package io.lxcautoscale.bench.lxc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real busybox LXC containers on this machine, laid out as Proxmox VE lays them out on a cgroup v1 host: named by
 * VMID, cgroups {@code <ctrl>/lxc/<vmid>} with the container's own processes in {@code lxc/<vmid>/ns}, the host
 * side of the network {@code veth<vmid>i0}, and a Proxmox-style {@code <vmid>.conf} in {@link #confDir()}.
 *
 * <p>Everything it creates is destroyed by {@link #close()}, by a JVM shutdown hook when the JVM is stopped
 * before that, and, for a JVM that was SIGKILLed, by the next harness's start: every LXC config it writes carries
 * {@link #MARKER}, and containers with it are destroyed before new ones are created.
 */
final class LxcHost implements AutoCloseable {
    /** The line in {@code /var/lib/lxc/<vmid>/config} that marks a container as this harness's. */
    static final String MARKER = "# lxcas-real-container-test: safe to destroy";
    private static final Path LXC_PATH = Path.of("/var/lib/lxc");
    static final Path CGROUP = Path.of("/sys/fs/cgroup");

    /**
     * One container: its VMID and the allocation written in its config and applied to its cgroups at start.
     * {@code cpuunits} is Proxmox's CPU weight, on a v1 host {@code cpu.shares} (Proxmox's v1 default is 1024).
     */
    record Spec(int vmid, int cores, int memoryMb, int swapMb, int cpuunits) {
        Spec(int vmid, int cores, int memoryMb, int swapMb) {
            this(vmid, cores, memoryMb, swapMb, 1024);
        }
    }

    private final Path work;
    private final Path confDir;
    private final Map<Integer, Spec> specs = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::destroyAll, "lxc-harness-cleanup");
    private String rootDevice;
    private volatile String lxcSharesBefore;

    LxcHost(Path work, List<Spec> containers) {
        this.work = work;
        this.confDir = work.resolve("pve/lxc");
        containers.forEach(s -> specs.put(s.vmid(), s));
    }

    Path confDir() {
        return confDir;
    }

    /** Destroys leftovers of an earlier run, then creates, configures and starts every container. */
    void start() throws Exception {
        long t0 = System.nanoTime();
        destroyLeftovers();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Files.createDirectories(confDir);
        rootDevice = rootDevice();
        // LXC's busybox template once (seconds on a busy machine), then copies of its root file system
        Path template = null;
        for (Spec s : specs.values()) {
            template = create(s, template);
        }
        giveTheContainersTheirCpus();
        for (Spec s : specs.values()) {
            run(30, "lxc-start", "-n", id(s.vmid()));
            // the host side of the container's only link, as on a host where the bridge is left out
            int net = netIndex(s.vmid());
            run(10, "ip", "addr", "add", "169.254." + net + ".1/30", "dev", veth(s.vmid()));
        }
        System.out.printf("%d containers created and started in %.1f s%n", specs.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** Creates one container from LXC's busybox template, or from a copy of {@code template}'s root file system. */
    private Path create(Spec s, Path template) throws IOException, InterruptedException {
        String id = id(s.vmid());
        Path rootfs = LXC_PATH.resolve(id).resolve("rootfs");
        if (template == null) {
            run(120, "lxc-create", "-n", id, "-t", "busybox");
        } else {
            Files.createDirectories(rootfs.getParent());
            // the marker first, so that a run killed while copying still leaves a container it recognises
            Files.writeString(rootfs.resolveSibling("config"), MARKER + "\n");
            run(60, "cp", "-a", template.toString(), rootfs.toString());
        }
        int net = netIndex(s.vmid());
        long memBytes = s.memoryMb() * 1024L * 1024;
        long memswBytes = (s.memoryMb() + s.swapMb()) * 1024L * 1024;
        String config = MARKER + "\n"
                + "lxc.uts.name = " + id + "\n"
                + "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.cap.drop = sys_module mac_admin mac_override sys_time\n"
                + "lxc.signal.halt = SIGUSR1\n"
                + "lxc.signal.reboot = SIGTERM\n"
                + "lxc.autodev = 1\n"
                + "lxc.tty.max = 1\n"
                + "lxc.pty.max = 1\n"
                + "lxc.mount.auto = cgroup:mixed proc:mixed sys:ro\n"
                + "lxc.mount.entry = /lib lib none ro,bind 0 0\n"
                + "lxc.mount.entry = /usr/lib usr/lib none ro,bind 0 0\n"
                + "lxc.mount.entry = /lib64 lib64 none ro,bind,optional 0 0\n"
                + "lxc.mount.entry = /usr/lib64 usr/lib64 none ro,bind,optional 0 0\n"
                + "lxc.apparmor.profile = unconfined\n"
                // Proxmox's cgroup layout
                + "lxc.cgroup.dir.container = lxc/" + id + "\n"
                + "lxc.cgroup.dir.container.inner = ns\n"
                + "lxc.cgroup.dir.monitor = lxc.monitor/" + id + "\n"
                // Proxmox's limits on a v1 host, in the container's (outer) cgroup
                + "lxc.cgroup.memory.limit_in_bytes = " + memBytes + "\n"
                + "lxc.cgroup.memory.memsw.limit_in_bytes = " + memswBytes + "\n"
                + "lxc.cgroup.cpuset.cpus = " + cpus(s) + "\n"
                + "lxc.cgroup.cpu.shares = " + s.cpuunits() + "\n"
                // a 6.x kernel keeps the v1 blkio.throttle.* statistics at 0 unless the cgroup has a rule for the
                // device: a rule that never limits (1 TiB/s) makes it count
                + "lxc.cgroup.blkio.throttle.read_bps_device = " + rootDevice + " 1099511627776\n"
                + "lxc.cgroup.blkio.throttle.write_bps_device = " + rootDevice + " 1099511627776\n"
                // Proxmox's veth naming; no bridge, so the host side has its own address
                + "lxc.net.0.type = veth\n"
                + "lxc.net.0.veth.pair = " + veth(s.vmid()) + "\n"
                + "lxc.net.0.name = eth0\n"
                + "lxc.net.0.flags = up\n"
                + "lxc.net.0.ipv4.address = 169.254." + net + ".2/30\n"
                // no IPv6 chatter (router solicitations) moving the counters
                + "lxc.sysctl.net.ipv6.conf.all.disable_ipv6 = 1\n"
                + "lxc.sysctl.net.ipv6.conf.default.disable_ipv6 = 1\n";
        Files.writeString(LXC_PATH.resolve(id).resolve("config"), config);
        Files.writeString(confDir.resolve(id + ".conf"), "arch: amd64\ncores: " + s.cores() + "\ncpuunits: " + s.cpuunits() + "\nhostname: ct" + id
                + "\nmemory: " + s.memoryMb() + "\nnet0: name=eth0,hwaddr=BC:24:11:00:00:" + String.format("%02X", net)
                + ",ip=169.254." + net + ".2/30,type=veth\nostype: unmanaged\nrootfs: local:" + id + "/rootfs,size=1G\nswap: "
                + s.swapMb() + "\n");
        // busybox's boot script without its DHCP client: the address is static, and DHCP packets (or the client
        // taking the address away) would make the veth counters move by themselves
        Files.writeString(rootfs.resolve("etc/init.d/rcS"), "#!/bin/sh\n/bin/syslogd\n/bin/mount -a\n");
        Path scripts = rootfs.resolve("lxcas");
        Files.createDirectories(scripts);
        for (String script : new String[] {"busy.sh", "hold.sh", "grow.sh"}) {
            try (InputStream in = LxcHost.class.getResourceAsStream("/lxc/" + script)) {
                Files.write(scripts.resolve(script), in.readAllBytes());
            }
        }
        return rootfs;
    }

    /** The CPUs {@code cores} CPUs starting at vmid mod host CPUs, as the pct stand-in gives them. */
    private static String cpus(Spec s) {
        int n = Runtime.getRuntime().availableProcessors();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.cores(), n); i++) {
            b.append(b.length() == 0 ? "" : ",").append((s.vmid() + i) % n);
        }
        return b.toString();
    }

    /**
     * Installs the {@code pct} stand-in for these containers (a {@code cores} change reaches the cpuset
     * {@code coresDelaySeconds} later) and the {@code pvesh} one beside it; returns the {@code pct} path.
     */
    Path installTools(int coresDelaySeconds) throws IOException {
        Path bin = work.resolve("bin");
        Files.createDirectories(bin);
        install(bin.resolve("pvesh"), tool("pvesh"));
        Path pct = bin.resolve("pct");
        install(pct, tool("pct").replace("@CONF_DIR@", confDir.toString()).replace("@CORES_DELAY@", Integer.toString(coresDelaySeconds)));
        return pct;
    }

    private static String tool(String name) throws IOException {
        try (InputStream in = LxcHost.class.getResourceAsStream("/lxc/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void install(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Starts {@code /lxcas/<script> args} inside the container, detached: it runs until the container stops. */
    void spawn(int vmid, String script, String... args) throws IOException, InterruptedException {
        attach(vmid, "setsid sh /lxcas/" + script + " " + String.join(" ", args) + " </dev/null >/dev/null 2>&1 &");
    }

    /** Waits until a {@code hold.sh} in the container has built its string (it then leaves {@code /lxcas/held}). */
    void awaitHeld(int vmid, int seconds) throws InterruptedException {
        Path held = LXC_PATH.resolve(id(vmid)).resolve("rootfs/lxcas/held");
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(held)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hold.sh in " + vmid + " did not build its string in " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Runs a shell command inside the container and returns what it printed; fails on a non-zero exit. */
    String attach(int vmid, String shell) throws IOException, InterruptedException {
        return run(60, "lxc-attach", "-n", id(vmid), "--", "sh", "-c", shell);
    }

    /** Runs a shell command inside the container and returns its exit code. */
    int attachExit(int vmid, String shell) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("lxc-attach", "-n", id(vmid), "--", "sh", "-c", shell).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("lxc-attach " + vmid + " '" + shell + "' did not finish in 60 s");
        }
        return p.exitValue();
    }

    // ---- the kernel's own figures ----

    /** {@code /sys/fs/cgroup/<controller>/lxc/<vmid>/<sub>}. */
    static Path cgroup(String controller, int vmid, String sub) {
        return CGROUP.resolve(controller).resolve("lxc").resolve(id(vmid)).resolve(sub);
    }

    static long number(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of {@code key} in a "key value" per-line file. */
    static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.strip().split("\\s+");
                if (kv.length == 2 && kv[0].equals(key)) {
                    return Long.parseLong(kv[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no '" + key + "' in " + file);
    }

    /** Bytes of all devices' {@code op} (Read or Write) lines of a {@code blkio.throttle.*_recursive} file. */
    static long blkio(int vmid, String file, String op) {
        long sum = 0;
        try {
            for (String line : Files.readAllLines(cgroup("blkio", vmid, file))) {
                String[] t = line.strip().split("\\s+");
                if (t.length == 3 && t[1].equals(op)) {
                    sum += Long.parseLong(t[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum;
    }

    /** The host side's counter {@code rx_bytes} or {@code tx_bytes} of {@code veth<vmid>i0}. */
    static long veth(int vmid, String counter) {
        return number(Path.of("/sys/class/net", veth(vmid), "statistics", counter));
    }

    static String veth(int vmid) {
        return "veth" + vmid + "i0";
    }

    /** The host side's address of the container's link, {@code 169.254.<n>.1}. */
    static String hostAddress(int vmid) {
        return "169.254." + netIndex(vmid) + ".1";
    }

    private static int netIndex(int vmid) {
        return vmid % 200 + 20;
    }

    /**
     * {@code cpu.shares} of a container only weighs it against its siblings in {@code lxc/}; against the machine's
     * other work (builds of a shared machine) it is {@code lxc/} itself that competes. The harness gives {@code lxc/}
     * the highest weight while it runs, so that a container's cpuunits mean on a busy machine what they mean on a
     * Proxmox host that runs only containers; {@link #close()} puts the old weight back.
     */
    private void giveTheContainersTheirCpus() throws IOException {
        Path shares = CGROUP.resolve("cpu/lxc/cpu.shares");
        if (Files.exists(shares)) {
            lxcSharesBefore = Files.readString(shares).strip();
            Files.writeString(shares, "262144");
        }
    }

    private void restoreLxcShares() {
        if (lxcSharesBefore != null) {
            try {
                Files.writeString(CGROUP.resolve("cpu/lxc/cpu.shares"), lxcSharesBefore);
            } catch (IOException e) {
                System.err.println("cannot restore cpu/lxc/cpu.shares: " + e.getMessage());
            }
        }
    }

    // ---- clean-up ----

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is shutting down (the hook runs or ran) or the hook was never added
        }
    }

    private void destroyAll() {
        for (Spec s : specs.values()) {
            destroy(id(s.vmid()));
        }
        restoreLxcShares();
    }

    /** Destroys every container whose LXC config carries {@link #MARKER}, from this or an earlier run. */
    static void destroyLeftovers() throws IOException {
        if (!Files.isDirectory(LXC_PATH)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(LXC_PATH)) {
            for (Path d : dirs) {
                Path config = d.resolve("config");
                if (Files.isRegularFile(config) && Files.readString(config).contains(MARKER)) {
                    System.out.println("destroying leftover test container " + d.getFileName());
                    destroy(d.getFileName().toString());
                }
            }
        }
    }

    private static void destroy(String id) {
        try {
            run(30, "lxc-stop", "-n", id, "-k");
        } catch (IOException | InterruptedException e) {
            // not running
        }
        try {
            run(60, "lxc-destroy", "-n", id, "-f");
        } catch (IOException | InterruptedException e) {
            System.err.println("cannot destroy test container " + id + ": " + e.getMessage());
        }
    }

    private static String id(int vmid) {
        return Integer.toString(vmid);
    }

    /** MAJ:MIN of the device holding /var/lib/lxc (where the containers' root file systems are). */
    private static String rootDevice() throws IOException, InterruptedException {
        long dev = Long.parseLong(run(10, "stat", "-c", "%d", LXC_PATH.toString()).strip());
        // the kernel's new_encode_dev: major in bits 8-19, minor in bits 0-7 and 20-31
        String majMin = ((dev >> 8) & 0xfff) + ":" + ((dev & 0xff) | ((dev >> 12) & 0xfff00));
        // throttle rules take whole disks: a partition's disk is its parent in sysfs
        Path sys = Path.of("/sys/dev/block", majMin).toRealPath();
        return Files.exists(sys.resolve("partition")) ? Files.readString(sys.getParent().resolve("dev")).strip() : majMin;
    }

    static String run(int timeoutSeconds, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out;
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " did not finish in " + timeoutSeconds + " s");
        }
        out = p.getInputStream().readAllBytes();
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " exited with " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }
}
