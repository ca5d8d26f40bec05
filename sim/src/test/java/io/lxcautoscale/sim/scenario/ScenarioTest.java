package io.lxcautoscale.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    static ConfigLoader.Loaded<Scenario> parse(String yaml) {
        return ConfigLoader.parse("s.yaml", yaml, n -> Scenario.bind(n, Path.of("."), null));
    }

    @Test
    void defaultScenarioLoadsCleanlyWithTheDemoMix() {
        var loaded = Scenario.load(Path.of("scenarios/default.yaml"), null);
        assertThat(loaded.warnings()).isEmpty();
        Scenario s = loaded.config();
        // the traces it replays are the sample bundled with the repository, nothing outside it
        assertThat(s.tracesDir()).isEqualTo(Path.of("../traces").toAbsolutePath().normalize());
        assertThat(s.containers()).filteredOn(c -> c.workloadType().equals("trace")).isNotEmpty();
        assertThat(s.containers()).hasSizeBetween(7, 10);
        assertThat(s.containers()).extracting(ContainerSpec::workloadType)
                .contains("idle", "steady", "diurnal", "bursty", "leak", "trace");
        assertThat(s.containers()).anySatisfy(c -> assertThat(c.tags()).contains("autoscale-off"));
        for (ContainerSpec c : s.containers()) {
            assertThat(c.workload().get().demand(60).cpuCores()).isNotNegative();
        }
    }

    /** Every shipped scenario replays only trace files bundled in the repository's traces/. */
    @Test
    void everyShippedScenarioLoadsWithTheBundledTraces() throws IOException {
        Path repoTraces = Path.of("../traces").toAbsolutePath().normalize();
        List<Path> scenarios;
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            scenarios = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(scenarios).isNotEmpty();
        for (Path file : scenarios) {
            Scenario s = Scenario.load(file, null).config(); // a trace file missing under traces_dir fails the load
            assertThat(s.tracesDir()).as(file + " traces_dir").startsWith(repoTraces);
        }
    }

    @Test
    void everyBadValueIsNamedWithItsKeyPath() {
        assertThatThrownBy(() -> parse("""
                clock: {speed: 0}
                containers:
                  - {vmid: 99, workload: {type: sleepy}}
                  - {vmid: 101, memory_mb: 8, workload: {type: trace, file: nowhere/x.csv.gz}}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clock.speed")
                .hasMessageContaining("containers[0].vmid")
                .hasMessageContaining("containers[0].workload.type")
                .hasMessageContaining("containers[1].memory_mb")
                .hasMessageContaining("containers[1].workload.file");
    }

    @Test
    void duplicateVmidsAreRejectedAndUnknownKeysWarned() {
        assertThatThrownBy(() -> parse("containers:\n  - {vmid: 101}\n  - {vmid: 101}\n")).hasMessageContaining("containers[1].vmid");
        var loaded = parse("containers:\n  - {vmid: 101, coers: 2}\n");
        assertThat(loaded.warnings()).singleElement().asString().contains("containers[0].coers").contains("cores");
    }
}
