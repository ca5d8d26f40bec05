package io.lxcautoscale.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.sim.SimNodes;
import io.lxcautoscale.sim.pve.GuestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pct commands' behaviour, run in-process against a simulated node (the executable path is covered elsewhere). */
class PctCommandsTest {
    static final String SCENARIO = """
            host: {node: pve1, cpus: 4}
            containers:
              - {vmid: 101, hostname: web1, cores: 2, memory_mb: 1024, disk_gb: 8}
              - {vmid: 102, hostname: db1, status: stopped}
            """;

    static String pct(SimNodes node, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PctMain(node.files, new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of(args));
        return out.toString(StandardCharsets.UTF_8);
    }

    static GuestConfig conf(SimNodes node, int vmid) throws Exception {
        Path p = node.files.confLink().resolve(vmid + ".conf");
        return GuestConfig.parse(p.toString(), Files.readString(p));
    }

    @Test
    void startStopAndTheCgroupFollow(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        node.run(1);
        assertThatThrownBy(() -> pct(node, "start", "101")).hasMessage("CT 101 already running");
        pct(node, "stop", "101");
        assertThat(node.files.cgroupDir(101)).doesNotExist(); // gone when pct returns, not a tick later
        assertThatThrownBy(() -> pct(node, "stop", "101")).hasMessage("CT 101 not running");
        pct(node, "start", "102");
        node.run(1);
        assertThat(node.files.cgroupDir(102).resolve("cpu.stat")).exists();
        assertThat(pct(node, "status", "102")).isEqualTo("status: running\n");
    }

    @Test
    void memoryIsHotpluggedInProxmoxsOrderAndAFailedHotplugLeavesTheConfig(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        node.run(1);
        pct(node, "set", "101", "--memory", "2048", "--swap", "256");
        assertThat(node.cg(101, "memory.swap.max")).isEqualTo((256L << 20) + "\n");
        assertThat(node.cg(101, "memory.high")).isEqualTo("2130706432\n"); // 2048 × 1024 × 1016
        assertThat(node.cg(101, "memory.max")).isEqualTo("2147483648\n");
        assertThat(conf(node, 101).get("memory")).isEqualTo("2048");
        // cores only changes the config: the cpuset follows at the next rebalance
        pct(node, "set", "101", "--cores", "1");
        assertThat(conf(node, 101).get("cores")).isEqualTo("1");
        assertThat(node.cg(101, "cpuset.cpus.effective")).isEqualTo("0-1\n");
        // the kernel refuses the memory.max write: swap.max and high were already written, the config is not
        Path max = node.files.cgroupDir(101).resolve("memory.max");
        Files.delete(max);
        Files.createDirectories(max.resolve("busy"));
        assertThatThrownBy(() -> pct(node, "set", "101", "--memory", "1536"))
                .hasMessageStartingWith("400 Parameter verification failed.\nmemory: unable to hotplug memory: write to memory.max failed");
        assertThat(node.cg(101, "memory.high")).isEqualTo("1598029824\n"); // 1536 × 1024 × 1016
        assertThat(conf(node, 101).get("memory")).isEqualTo("2048");
    }

    @Test
    void resizeGrowsOnlyAndDestroyRefusesARunningContainer(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        pct(node, "resize", "101", "rootfs", "+2G");
        assertThat(conf(node, 101).get("rootfs")).isEqualTo("local-lvm:vm-101-disk-0,size=10G");
        assertThatThrownBy(() -> pct(node, "resize", "101", "rootfs", "4G")).hasMessage("unable to shrink disk size");
        assertThatThrownBy(() -> pct(node, "resize", "101", "rootfs", "10G")).hasMessage("disk is already at specified size");
        assertThatThrownBy(() -> pct(node, "destroy", "101")).hasMessage("unable to destroy CT 101 - container is running");
        pct(node, "destroy", "102");
        assertThat(node.files.confLink().resolve("102.conf")).doesNotExist();
        assertThat(pct(node, "list")).doesNotContain("db1");
    }

    @Test
    void cloneMakesAStoppedCopyWithNewVolumeAndMac(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        assertThatThrownBy(() -> pct(node, "clone", "101", "200")).hasMessage("Cannot do full clones on a running container without snapshots");
        pct(node, "snapshot", "101", "base");
        String out = pct(node, "clone", "101", "200", "--hostname", "web2", "--snapname", "base");
        assertThat(out).startsWith("create full clone of drive rootfs (local-lvm:vm-101-disk-0)\n");
        GuestConfig clone = conf(node, 200);
        assertThat(clone.hostname()).isEqualTo("web2");
        assertThat(clone.get("rootfs")).isEqualTo("local-lvm:vm-200-disk-0,size=8G");
        assertThat(clone.get("net0")).contains("hwaddr=BC:24:11:00:00:C8").doesNotContain("00:00:65");
        assertThat(clone.snapshots()).isEmpty();
        assertThat(clone.get("parent")).isNull();
        assertThat(pct(node, "status", "200")).isEqualTo("status: stopped\n");
        assertThatThrownBy(() -> pct(node, "clone", "102", "200")).hasMessage("CT 200 already exists on node 'pve1'");
        node.run(1); // the simulator adopts the clone (idle workload once started)
        pct(node, "start", "200");
        node.run(2);
        assertThat(node.files.cgroupDir(200).resolve("memory.current")).exists();
    }

    @Test
    void rollbackRestoresTheSnapshotAndStopsTheContainer(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, SCENARIO);
        pct(node, "snapshot", "101", "before");
        pct(node, "set", "101", "--cores", "4", "--memory", "4096");
        pct(node, "rollback", "101", "before");
        GuestConfig c = conf(node, 101);
        assertThat(c.cores()).isEqualTo(2);
        assertThat(c.memoryMb()).isEqualTo(1024);
        assertThat(c.get("parent")).isEqualTo("before");
        assertThat(pct(node, "status", "101")).isEqualTo("status: stopped\n");
        assertThatThrownBy(() -> pct(node, "rollback", "101", "nope")).hasMessage("snapshot 'nope' does not exist");
    }

    @Test
    void lockedContainerRefusesChangesUntilUnlocked(@TempDir Path tmp) throws Exception {
        SimNodes node = new SimNodes(tmp, """
                containers:
                  - {vmid: 101, lock: snapshot-delete}
                """);
        assertThatThrownBy(() -> pct(node, "set", "101", "-cores", "2")).hasMessage("CT is locked (snapshot-delete)");
        assertThat(pct(node, "list").lines().toList().get(1).split("\\s+")).containsExactly("101", "running", "snapshot-delete", "ct101");
        pct(node, "unlock", "101");
        pct(node, "set", "101", "-cores", "2");
        assertThat(conf(node, 101).cores()).isEqualTo(2);
    }
}
