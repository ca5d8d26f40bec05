package io.lxcautoscale.bench.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void committedConfigurationReferenceMatchesTheShippedFilesAndTheCodesDefaults() throws Exception {
        String expected = ConfigReference.render(REPO.resolve("etc"));
        String committed = Files.readString(REPO.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        assertThat(committed)
                .as("docs/configuration.md is stale: regenerate with ConfigReference (see its javadoc)")
                .isEqualTo(expected);
    }

    @Test
    void everyDocumentedDefaultIsTheCodesDefault() throws Exception {
        String rendered = ConfigReference.render(REPO.resolve("etc"));
        assertThat(rendered).doesNotContain("(not read by the code)");
        assertThat(rendered).contains("`monitoring.check_interval` | `10` |");
    }
}
