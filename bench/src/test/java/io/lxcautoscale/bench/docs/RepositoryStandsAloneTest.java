package io.lxcautoscale.bench.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository stands alone: no file refers to a folder next to the checkout (the development machines' trace
 * and reference folder), so a fresh clone, or an installed package, has everything it uses. Facts go to
 * {@code docs/reference/}, traces to {@code traces/}.
 */
class RepositoryStandsAloneTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** Built from parts so that this file does not match itself. */
    static final List<String> FORBIDDEN = List.of(".." + "/" + "shared", "shared" + "/" + "traces", "/work" + "/shared");
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", ".git", ".idea");

    @Test
    void noFileOfTheRepositoryPointsOutsideIt() throws IOException {
        assertThat(REPO.resolve("pom.xml")).as("the repository root").exists();
        assertThat(REPO.resolve("traces/README.md")).exists();
        assertThat(mentionsOfForbiddenPaths(REPO)).as("files that refer to a folder outside the repository").isEmpty();
    }

    @Test
    void aMentionAnywhereIsFoundWithItsFileAndLine(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(tmp.resolve("docs/a.md"), "fine\nsee " + FORBIDDEN.get(0) + "/reference/x.md\n");
        Files.createDirectories(tmp.resolve("sim/scenarios"));
        Files.writeString(tmp.resolve("sim/scenarios/s.yaml"), "traces_dir: ../../../" + FORBIDDEN.get(1) + "\n");
        Files.createDirectories(tmp.resolve("model/target"));
        Files.writeString(tmp.resolve("model/target/built.txt"), FORBIDDEN.get(0) + "\n"); // build output: not checked
        Files.writeString(tmp.resolve("clean.java"), "// shared state, ./shared, shared-traces, traces/README.md\n");
        assertThat(mentionsOfForbiddenPaths(tmp)).containsExactlyInAnyOrder("docs/a.md:2", "sim/scenarios/s.yaml:1");
    }

    /** {@code path:line} of every mention under {@code root}, build output and VCS folders excluded. */
    static List<String> mentionsOfForbiddenPaths(Path root) throws IOException {
        List<String> hits = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && SKIPPED_FOLDERS.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    // ISO-8859-1 maps every byte to one char: binary files are searched too, without decoding errors
                    String[] lines = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        String line = lines[i];
                        if (FORBIDDEN.stream().anyMatch(line::contains)) {
                            hits.add(root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1));
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return hits;
    }
}
