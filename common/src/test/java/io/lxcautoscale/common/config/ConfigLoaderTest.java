package io.lxcautoscale.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    record Scaling(int maxCpuCores, double upThreshold, boolean dryRun, String mode, List<String> ignore) {
    }

    static Scaling bind(ConfigNode root) {
        ConfigNode s = root.section("scaling");
        root.deprecated("parallel_processing", "containers are always read in one pass");
        return new Scaling(
                s.getInt("max_cpu_cores", 4, 1, 8192),
                s.getDouble("cpu_scale_up_threshold", 75, 0, 100),
                s.getBool("dry_run", false),
                s.getChoice("mode", "auto", List.of("auto", "off")),
                root.getStringList("ignore_lxc", List.of()));
    }

    @Test
    void emptyFileAndEmptySectionMeanDefaults() {
        Scaling expected = new Scaling(4, 75, false, "auto", List.of());
        assertThat(ConfigLoader.parse("a.yaml", "", ConfigLoaderTest::bind).config()).isEqualTo(expected);
        assertThat(ConfigLoader.parse("a.yaml", "scaling:\n", ConfigLoaderTest::bind).config()).isEqualTo(expected);
        assertThat(ConfigLoader.parse("a.yaml", "# only a comment\n", ConfigLoaderTest::bind).config()).isEqualTo(expected);
    }

    @Test
    void readsTypedValuesAndNumbersInStringLists() {
        var loaded = ConfigLoader.parse("a.yaml",
                "scaling:\n  max_cpu_cores: 8\n  cpu_scale_up_threshold: 80.5\n  dry_run: true\n  mode: \"OFF\"\nignore_lxc: [101, \"102\"]\n",
                ConfigLoaderTest::bind);
        assertThat(loaded.config()).isEqualTo(new Scaling(8, 80.5, true, "off", List.of("101", "102")));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.effectiveYaml()).contains("max_cpu_cores: 8");
    }

    @Test
    void everyBadValueIsReportedWithFileKeyValueAndAllowedRange() {
        assertThatThrownBy(() -> ConfigLoader.parse("/etc/x.yaml",
                "scaling:\n  max_cpu_cores: 0\n  cpu_scale_up_threshold: high\n  dry_run: 1\n  mode: sometimes\n",
                ConfigLoaderTest::bind))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "/etc/x.yaml: key 'scaling.max_cpu_cores' has value 0; allowed: an integer from 1 to 8192",
                        "/etc/x.yaml: key 'scaling.cpu_scale_up_threshold' has value \"high\"; allowed: a number from 0 to 100",
                        "/etc/x.yaml: key 'scaling.dry_run' has value 1; allowed: true or false",
                        "/etc/x.yaml: key 'scaling.mode' has value \"sometimes\"; allowed: one of auto, off"));
    }

    @Test
    void aFloatIsNotSilentlyTruncatedToAnInteger() {
        assertThatThrownBy(() -> ConfigLoader.parse("x.yaml", "scaling:\n  max_cpu_cores: 2.5\n", ConfigLoaderTest::bind))
                .hasMessageContaining("scaling.max_cpu_cores").hasMessageContaining("2.5");
    }

    @Test
    void unparseableYamlNamesTheFile() {
        assertThatThrownBy(() -> ConfigLoader.parse("/etc/x.yaml", "scaling: [unclosed\n", ConfigLoaderTest::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/etc/x.yaml: not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.parse("/etc/x.yaml", "- a list\n", ConfigLoaderTest::bind))
                .hasMessageContaining("top level must be a map");
        assertThatThrownBy(() -> ConfigLoader.parse("/etc/x.yaml", "a: 1\na: 2\n", ConfigLoaderTest::bind))
                .hasMessageContaining("not valid YAML").hasMessageContaining("duplicate");
    }

    @Test
    void aScalarWhereASectionBelongsIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse("x.yaml", "scaling: 5\n", ConfigLoaderTest::bind))
                .hasMessageContaining("key 'scaling' has value 5; allowed: a section");
    }

    @Test
    void unknownKeyWarnsWithTheClosestKnownKey() {
        var loaded = ConfigLoader.parse("x.yaml", "scaling:\n  max_cpu_core: 8\nextra:\n  deep: 1\n", ConfigLoaderTest::bind);
        assertThat(loaded.config().maxCpuCores()).isEqualTo(4);
        assertThat(loaded.warnings()).containsExactly(
                "x.yaml: unknown key 'scaling.max_cpu_core' ignored; did you mean 'scaling.max_cpu_cores'?",
                "x.yaml: unknown key 'extra' ignored; did you mean 'scaling'?");
    }

    @Test
    void sectionListReadsEachItemAndWarnsAboutUnknownKeysInside() {
        var loaded = ConfigLoader.parse("s.yaml", "items:\n  - size: 3\n  - size: 5\n    colour: red\n",
                root -> root.sectionList("items").stream().map(n -> n.getInt("size", 1, 1, 10)).toList());
        assertThat(loaded.config()).containsExactly(3, 5);
        assertThat(loaded.warnings()).singleElement().asString().contains("items[1].colour");
        assertThatThrownBy(() -> ConfigLoader.parse("s.yaml", "items:\n  - size: 30\n",
                root -> root.sectionList("items").stream().map(n -> n.getInt("size", 1, 1, 10)).toList()))
                .hasMessageContaining("items[0].size");
    }

    @Test
    void deprecatedKeyIsAcceptedWithAWarning() {
        var loaded = ConfigLoader.parse("x.yaml", "parallel_processing: true\n", ConfigLoaderTest::bind);
        assertThat(loaded.warnings()).singleElement().asString()
                .contains("'parallel_processing' is deprecated").contains("one pass");
    }

    @Test
    void missingFileIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), ConfigLoaderTest::bind))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml: file not found");
    }

    @Test
    void loadsFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "scaling:\n  max_cpu_cores: 16\n");
        assertThat(ConfigLoader.load(file, ConfigLoaderTest::bind).config().maxCpuCores()).isEqualTo(16);
    }

    @Test
    void secretsAreNeverPrintedByCheckConfig() {
        var loaded = ConfigLoader.parse("x.yaml", "auth:\n  api_keys: [s3cret-key-0123456789]\n  api_key: other-s3cret\n",
                root -> {
                    ConfigNode a = root.section("auth");
                    return List.of(a.getSecretStringList("api_keys", List.of()), a.getSecretString("api_key", null));
                });
        assertThat(loaded.config()).containsExactly(List.of("s3cret-key-0123456789"), "other-s3cret");
        assertThat(loaded.effectiveYaml()).doesNotContain("s3cret").contains("1 value(s) (redacted)").contains("api_key: (redacted)");
    }
}
