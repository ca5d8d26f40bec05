package io.lxcautoscale.common.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Naming of a metrics file's rotated siblings ({@code file.1} newest … {@code file.N} oldest). */
final class RotatedFiles {
    private RotatedFiles() {
    }

    static Path rotated(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /**
     * The indices of the existing rotated files, ascending. Lists the directory rather than probing
     * 1, 2, 3 … because a crash in the middle of a rotation can leave a gap.
     */
    static List<Integer> indices(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = file.getFileName() + ".";
        List<Integer> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String suffix = name.substring(prefix.length());
                if (suffix.isEmpty() || suffix.length() > 9 || !suffix.chars().allMatch(c -> c >= '0' && c <= '9')
                        || suffix.charAt(0) == '0') {
                    continue;
                }
                result.add(Integer.parseInt(suffix));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        result.sort(null);
        return result;
    }

    /** The file's identity as a string, or {@code null} if it does not exist. */
    static String fileKey(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!attrs.isRegularFile()) {
            // A symlink or device: identify what it points at, so following a link still works.
            try {
                attrs = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        Object key = attrs.fileKey();
        // Without a file key (not POSIX) fall back to the creation time, which rotation preserves.
        return key != null ? key.toString() : "created=" + attrs.creationTime().toMillis();
    }
}
