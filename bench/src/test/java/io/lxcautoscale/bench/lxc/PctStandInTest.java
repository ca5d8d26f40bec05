package io.lxcautoscale.bench.lxc;

import static io.lxcautoscale.bench.lxc.LxcHost.cgroup;
import static io.lxcautoscale.bench.lxc.LxcHost.number;
import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.proxmox.ContainerStatus;
import io.lxcautoscale.common.proxmox.ListedContainer;
import io.lxcautoscale.common.proxmox.PctConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pct} stand-in on a real container: its output parses with the project's own {@code pct} parsers, and
 * {@code set} changes the kernel's limits as Proxmox does, writing the config only when the kernel took the change.
 */
class PctStandInTest {
    private static final int VMID = 9401;
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void listConfigStatusParseAndSetAppliesLikeProxmox() throws Exception {
        RealContainers.require();
        try (LxcHost host = new LxcHost(dir, List.of(new LxcHost.Spec(VMID, 1, 256, 0)))) {
            host.start();
            Path pct = host.installTools(2);
            Path conf = host.confDir().resolve(VMID + ".conf");

            assertThat(ListedContainer.parseList(pct(pct, 0, "list")))
                    .containsExactly(new ListedContainer(VMID, "running", null, "ct" + VMID));
            assertThat(ContainerStatus.parse(pct(pct, 0, "status", Integer.toString(VMID))).toString()).contains("running");
            assertThat(PctConfig.parse("pct config", pct(pct, 0, "config", Integer.toString(VMID))).get("memory")).isEqualTo("256");
            assertThat(pct(pct, 2, "status", "9499")).contains("does not exist");

            // growing memory and swap: memsw first, then memory; both land, and the config follows
            pct(pct, 0, "set", Integer.toString(VMID), "--memory", "512", "--swap", "128");
            assertThat(number(cgroup("memory", VMID, "memory.limit_in_bytes"))).isEqualTo(512 * MIB);
            assertThat(number(cgroup("memory", VMID, "memory.memsw.limit_in_bytes"))).isEqualTo(640 * MIB);
            // shrinking (one dash, as the API calls it): memory first, then memsw
            pct(pct, 0, "set", Integer.toString(VMID), "-memory", "192");
            assertThat(number(cgroup("memory", VMID, "memory.limit_in_bytes"))).isEqualTo(192 * MIB);
            assertThat(number(cgroup("memory", VMID, "memory.memsw.limit_in_bytes"))).isEqualTo(320 * MIB);
            assertThat(PctConfig.parse("conf", Files.readString(conf)).values()).containsEntry("memory", "192").containsEntry("swap", "128");

            // below what the container holds (no swap to push it to): the kernel refuses, the config stays
            host.spawn(VMID, "hold.sh", "100000000");
            host.awaitHeld(VMID, 60);
            String before = Files.readString(conf);
            String refused = pct(pct, 255, "set", Integer.toString(VMID), "--memory", "32");
            assertThat(refused).startsWith("unable to hotplug memory:");
            assertThat(Files.readString(conf)).isEqualTo(before);

            // cpulimit: the CFS quota at once
            pct(pct, 0, "set", Integer.toString(VMID), "--cpulimit", "0.5");
            assertThat(number(cgroup("cpu", VMID, "cpu.cfs_quota_us"))).isEqualTo(50_000);
            assertThat(number(cgroup("cpu", VMID, "cpu.cfs_period_us"))).isEqualTo(100_000);

            // cores: the config at once, the cpuset a couple of seconds later
            pct(pct, 0, "set", Integer.toString(VMID), "--cores", "2");
            assertThat(PctConfig.parse("conf", Files.readString(conf)).get("cores")).isEqualTo("2");
            Path cpus = cgroup("cpuset", VMID, "cpuset.cpus");
            assertThat(Files.readString(cpus).strip()).as("not yet: pvestatd rebalances later").doesNotContain("-").doesNotContain(",");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(cpus).strip().equals("0-1") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(cpus).strip()).isEqualTo("0-1");
            assertThat(Files.readString(cgroup("cpuset", VMID, "ns/cpuset.cpus")).strip()).isEqualTo("0-1");
        }
    }

    /** Runs the stand-in, checks its exit code, returns stdout (or stderr when it failed). */
    private static String pct(Path pct, int expectedExit, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(pct.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("pct %s: %s", String.join(" ", args), err).isEqualTo(expectedExit);
        return expectedExit == 0 ? out : err;
    }
}
