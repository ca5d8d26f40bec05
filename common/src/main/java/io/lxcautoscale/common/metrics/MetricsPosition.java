package io.lxcautoscale.common.metrics;

/**
 * Where a {@link MetricsReader} stands: the identity of the file being read and the byte offset of
 * the first byte not yet consumed (always the start of a line). Serialisable with {@code Json.mapper()}.
 *
 * @param fileKey the file's identity, {@code <BasicFileAttributes.fileKey()>#<n>:<crc32 of its first n bytes>},
 *                e.g. {@code (dev=803,ino=1234)#512:5d2e9a01}, so a rotated file is recognised under its
 *                new name and a new file that reuses a deleted file's inode is not mistaken for it;
 *                {@code null} = the start of the oldest retained file
 * @param offset  byte offset into that file, ≥ 0
 */
public record MetricsPosition(String fileKey, long offset) {
    public MetricsPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (fileKey == null && offset != 0) {
            throw new IllegalArgumentException("an offset (" + offset + ") needs the fileKey it belongs to");
        }
    }

    /**
     * The start of the file now at {@code file}, skipping its rotated predecessors.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    public static MetricsPosition startOf(java.nio.file.Path file) throws java.io.IOException {
        String inode = RotatedFiles.fileKey(file);
        if (inode == null) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        return new MetricsPosition(new FileIdentity(inode, 0, 0).toString(), 0);
    }

    /** The start of the oldest retained file (rotated {@code file.N}, else the file itself). */
    public static MetricsPosition start() {
        return new MetricsPosition(null, 0);
    }
}
