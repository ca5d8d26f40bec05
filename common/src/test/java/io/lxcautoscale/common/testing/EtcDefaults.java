package io.lxcautoscale.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Checks that a shipped file in {@code etc/} documents exactly the code's defaults: every key in the file
 * has the default value, and every key the code reads appears in the file.
 */
public final class EtcDefaults {
    private EtcDefaults() {
    }

    /** The repository's {@code etc/} folder, found from the module's working directory. */
    public static Path etcFile(String name) {
        return RepositoryFile.find("etc/" + name);
    }

    public static <T> void assertDocumentsDefaults(Path etcFile, Function<ConfigNode, T> binder, List<String> keysNotShipped) throws IOException {
        String text = Files.readString(etcFile, StandardCharsets.UTF_8);
        ConfigLoader.Loaded<T> shipped = ConfigLoader.parse(etcFile.toString(), text, binder);
        ConfigLoader.Loaded<T> defaults = ConfigLoader.parse("(empty)", "", binder);

        assertThat(shipped.warnings()).as("warnings for the shipped file").isEmpty();
        assertThat(shipped.config()).as("the shipped file's values equal the code's defaults").isEqualTo(defaults.config());
        assertThat(shipped.effective()).isEqualTo(defaults.effective());

        List<String> inFile = ConfigLoader.keyPaths(etcFile.toString(), text);
        List<String> missing = defaults.knownKeys().stream()
                .filter(k -> !inFile.contains(k) && !keysNotShipped.contains(k))
                .toList();
        assertThat(missing).as("keys the code reads that " + etcFile.getFileName() + " does not document").isEmpty();
    }
}
