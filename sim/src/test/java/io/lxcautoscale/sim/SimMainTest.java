package io.lxcautoscale.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.DaemonProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimMainTest {
    @Test
    void runsTheScenarioForTheGivenDurationAndLeavesAUsableNode(@TempDir Path tmp) throws Exception {
        Path scenario = tmp.resolve("s.yaml");
        Files.writeString(scenario, """
                host: {node: n1, cpus: 4}
                containers:
                  - {vmid: 101, cores: 1, workload: {type: steady, cpu_cores: 2}}
                  - {vmid: 102, status: stopped}
                """);
        Path root = tmp.resolve("root");
        var result = DaemonProcess.runMain(SimMain.class.getName(), Map.of(), "--root", root.toString(),
                "--scenario", scenario.toString(), "--duration", "2", "--speed", "2");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(root.resolve("sys/fs/cgroup/lxc/101/cpu.stat")).exists();
        assertThat(root.resolve("sys/fs/cgroup/lxc/102")).doesNotExist();
        assertThat(root.resolve("etc/pve/lxc/102.conf")).exists();
        assertThat(Files.isExecutable(root.resolve("bin/pct"))).isTrue();
        assertThat(Files.readString(root.resolve("bin/pvesh"))).contains("io.lxcautoscale.sim.cli.PveshMain \"$@\"");
    }

    @Test
    void refusesAFolderThatIsNotASimulatedNode(@TempDir Path tmp) throws Exception {
        Path scenario = tmp.resolve("s.yaml");
        Files.writeString(scenario, "containers: []\n");
        Path root = tmp.resolve("precious");
        Files.createDirectories(root);
        Files.writeString(root.resolve("keep.txt"), "mine");
        var result = DaemonProcess.runMain(SimMain.class.getName(), Map.of(), "--root", root.toString(),
                "--scenario", scenario.toString(), "--duration", "1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("is not empty and is not a simulated node");
        assertThat(root.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void anInvalidScenarioExitsTwoNamingTheKey(@TempDir Path tmp) throws Exception {
        Path scenario = tmp.resolve("s.yaml");
        Files.writeString(scenario, "host: {cpus: 0}\n");
        var result = DaemonProcess.runMain(SimMain.class.getName(), Map.of(), "--root", tmp.resolve("r").toString(),
                "--scenario", scenario.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("host.cpus");
    }
}
