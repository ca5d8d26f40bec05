package io.lxcautoscale.sim.world;

import io.lxcautoscale.sim.tree.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Writes tree files atomically, skipping a file whose content did not change since this process wrote it. */
final class TreeOutput {
    private final Map<Path, String> written = new HashMap<>();

    void write(Path file, String text) {
        if (text.equals(written.get(file)) && Files.exists(file)) {
            return;
        }
        AtomicFiles.write(file, text);
        written.put(file, text);
    }

    void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    void delete(Path dir) {
        AtomicFiles.deleteTree(dir);
        written.keySet().removeIf(p -> p.startsWith(dir));
    }
}
