package io.lxcautoscale.common.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** A file of the repository found from a module's working directory (tests run in the module's folder). */
public final class RepositoryFile {
    private RepositoryFile() {
    }

    /** {@code relative} (e.g. {@code docs/metrics-format.md}) in the nearest folder above the working directory that has it. */
    public static Path find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
