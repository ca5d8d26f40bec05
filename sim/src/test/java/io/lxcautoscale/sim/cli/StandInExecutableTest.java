package io.lxcautoscale.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.sim.SimNodes;
import io.lxcautoscale.sim.pve.GuestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.lxcautoscale.common.proxmox.ContainerConfig;
import io.lxcautoscale.common.proxmox.ContainerStatus;
import io.lxcautoscale.common.proxmox.ListedContainer;
import io.lxcautoscale.common.proxmox.PctConfig;
import io.lxcautoscale.common.proxmox.PveshJson;
import io.lxcautoscale.common.proxmox.SnapshotEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code ROOT/bin/pct} and {@code ROOT/bin/pvesh} wrappers as child processes against a simulated node. */
class StandInExecutableTest {
    record Run(int exitCode, String stdout, String stderr) {
    }

    @TempDir
    static Path tmp;
    static SimNodes node;

    @BeforeAll
    static void buildNode() {
        node = new SimNodes(tmp, """
                host: {node: pve1, cpus: 8, memory_mb: 16384}
                containers:
                  - {vmid: 101, hostname: web1, cores: 1, memory_mb: 1024, workload: {type: steady, cpu_cores: 3.0, jitter: 0}}
                  - {vmid: 102, hostname: db1, cores: 2, memory_mb: 2048, lock: backup}
                  - {vmid: 103, hostname: spare, cores: 1, memory_mb: 512, status: stopped}
                """);
        StandIns.write(node.files, System.getProperty("java.class.path"), 0);
        node.run(3);
    }

    static Run run(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(node.files.bin().resolve(tool).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LXC_SIM_LATENCY_MS", "0");
        pb.environment().put("TZ", "UTC");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void pctSetChangesTheConfigTheCgroupAndTheWorkloadsCpuCap() throws Exception {
        Run set = run("pct", "set", "101", "-cores", "4", "--memory", "2048", "--swap=256");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(set.stdout()).isEmpty();
        GuestConfig conf = GuestConfig.parse("101", Files.readString(node.files.confFile("pve1", 101)));
        assertThat(conf.cores()).isEqualTo(4);
        assertThat(conf.memoryMb()).isEqualTo(2048);
        // memory is hot-plugged by pct itself, before the simulator's next tick
        assertThat(node.cg(101, "memory.max")).isEqualTo((2048L << 20) + "\n");
        assertThat(node.cg(101, "memory.swap.max")).isEqualTo((256L << 20) + "\n");
        // cores is fastplug: the cpuset follows at the next rebalance, within 10 simulated seconds
        node.run(10);
        long before = node.flat(101, "cpu.stat", "usage_usec");
        node.run(5);
        assertThat(node.cg(101, "cpuset.cpus.effective").strip()).matches("\\d+-\\d+");
        assertThat((node.flat(101, "cpu.stat", "usage_usec") - before) / 5e6).isBetween(2.9, 3.0);

        Run config = run("pct", "config", "101");
        assertThat(config.stdout()).contains("cores: 4\n").contains("memory: 2048\n").contains("swap: 256\n");
        List<String> keys = config.stdout().lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertThat(keys).isSorted();
    }

    @Test
    void missingAndLockedContainersFailLikeProxmox() throws Exception {
        Run missing = run("pct", "set", "999", "--cores", "2");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).isEqualTo("Configuration file 'nodes/pve1/lxc/999.conf' does not exist\n");
        Run locked = run("pct", "set", "102", "--memory", "4096");
        assertThat(locked.exitCode()).isEqualTo(255);
        assertThat(locked.stderr()).isEqualTo("CT is locked (backup)\n");
        assertThat(GuestConfig.parse("102", Files.readString(node.files.confFile("pve1", 102))).memoryMb()).isEqualTo(2048);
        Run bad = run("pct", "set", "101", "--memory", "8");
        assertThat(bad.exitCode()).isEqualTo(255);
        assertThat(bad.stderr()).startsWith("400 Parameter verification failed.\nmemory: value must have a minimum value of 16\n");
    }

    @Test
    void listShowsLockAsFourthTokenAndStatusVerboseOmitsCpu() throws Exception {
        Run list = run("pct", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout().lines().toList()).containsExactly(
                "VMID       Status     Lock         Name                ",
                "101        running                 web1                ",
                "102        running    backup       db1                 ",
                "103        stopped                 spare               ");
        Run status = run("pct", "status", "101", "--verbose");
        assertThat(status.stdout()).contains("status: running\n").contains("maxmem: ").contains("pid: ").doesNotContain("cpu: ");
        assertThat(run("pct", "status", "103").stdout()).isEqualTo("status: stopped\n");
    }

    @Test
    void snapshotsListAsATreeOldestFirst() throws Exception {
        assertThat(run("pct", "snapshot", "103", "first", "--description", "before upgrade").exitCode()).isZero();
        assertThat(run("pct", "snapshot", "103", "second").exitCode()).isZero();
        Run list = run("pct", "listsnapshot", "103");
        List<String> lines = list.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("`-> first {23}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d {5}before upgrade");
        assertThat(lines.get(1)).matches(" `-> second {21}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d {5}no-description");
        assertThat(lines.get(2)).isEqualTo("  `-> current" + " ".repeat(43) + "You are here!");
        Run dup = run("pct", "snapshot", "103", "first");
        assertThat(dup.exitCode()).isNotZero();
        assertThat(dup.stderr()).isEqualTo("snapshot name 'first' already used\n");
        assertThat(run("pct", "delsnapshot", "103", "first").exitCode()).isZero();
        assertThat(run("pct", "listsnapshot", "103").stdout().lines().toList()).hasSize(2);
    }

    @Test
    void pveshServesStatusAndResourcesAsJson() throws Exception {
        Run lxc = run("pvesh", "get", "/nodes/pve1/lxc", "--output-format", "json");
        assertThat(lxc.exitCode()).as(lxc.stderr()).isZero();
        JsonNode list = Json.mapper().readTree(lxc.stdout());
        assertThat(list).hasSize(3);
        JsonNode web = list.get(0);
        assertThat(web.get("vmid").asInt()).isEqualTo(101);
        assertThat(web.get("status").asText()).isEqualTo("running");
        long mem = web.get("mem").asLong();
        long current = Long.parseLong(node.cg(101, "memory.current").strip());
        assertThat(mem).isLessThan(current).isPositive(); // mem = memory.current − file
        JsonNode resources = Json.mapper().readTree(run("pvesh", "get", "/cluster/resources", "--type", "vm", "--output-format", "json").stdout());
        assertThat(resources.get(1).get("lock").asText()).isEqualTo("backup");
        JsonNode status = Json.mapper().readTree(run("pvesh", "get", "/nodes/pve1/status", "--output-format", "json").stdout());
        assertThat(status.get("cpuinfo").get("cpus").asInt()).isEqualTo(8);
        assertThat(status.get("memory").get("total").asLong()).isEqualTo(16384L << 20);
        Run taken = run("pvesh", "get", "/cluster/nextid", "--vmid", "101", "--output-format", "json");
        assertThat(taken.exitCode()).isNotZero();
        assertThat(taken.stderr()).isEqualTo("VM 101 already exists\n");
    }

    /** Every output the API consumes parses with common's Proxmox parsers, the same code that reads a real host. */
    @Test
    void outputsParseWithTheProjectsProxmoxParsers() throws Exception {
        List<ListedContainer> list = ListedContainer.parseList(run("pct", "list").stdout());
        assertThat(list).extracting(ListedContainer::vmid).containsExactly(101, 102, 103);
        assertThat(list.get(1).lock()).isEqualTo("backup");
        assertThat(list.get(2).running()).isFalse();

        PctConfig parsed = PctConfig.parse("pct config 102", run("pct", "config", "102").stdout());
        ContainerConfig config = ContainerConfig.from(102, "pct config 102", parsed);
        assertThat(config.cores()).isEqualTo(2);
        assertThat(config.memoryMb()).isEqualTo(2048);
        assertThat(config.hostname()).isEqualTo("db1");
        PctConfig file = PctConfig.parse("102.conf", Files.readString(node.files.confFile("pve1", 102)));
        assertThat(file.get("lock")).isEqualTo("backup");

        ContainerStatus status = ContainerStatus.parse(run("pct", "status", "102", "--verbose", "1").stdout());
        assertThat(status.running()).isTrue();
        assertThat(status.longValue("maxmem")).isEqualTo(2048L << 20);
        assertThat(status.longValue("mem")).isPositive();

        assertThat(run("pct", "snapshot", "101", "nightly").exitCode()).isZero();
        List<SnapshotEntry> tree = SnapshotEntry.parseTree(run("pct", "listsnapshot", "101").stdout());
        assertThat(tree).extracting(SnapshotEntry::name).containsExactly("nightly", "current");
        assertThat(tree.get(1).current()).isTrue();

        JsonNode resources = PveshJson.parse("/cluster/resources", run("pvesh", "get", "/cluster/resources", "--output-format", "json").stdout());
        assertThat(resources.isArray()).isTrue();
        assertThat(resources.findValuesAsText("id")).contains("lxc/101", "node/pve1");
    }
}
