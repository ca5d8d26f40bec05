package io.lxcautoscale.common.metrics;

/**
 * Where a {@link MetricsReader} stands: the identity of the file being read and the byte offset of
 * the first byte not yet consumed (always the start of a line). Serialisable with {@code Json.mapper()}.
 *
 * @param fileKey the file's identity ({@code BasicFileAttributes.fileKey()}, e.g. {@code (dev=803,ino=1234)}),
 *                so a rotated file is recognised under its new name; {@code null} = whatever file is at
 *                the reader's path
 * @param offset  byte offset into that file, ≥ 0
 */
public record MetricsPosition(String fileKey, long offset) {
    public MetricsPosition {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
    }

    /** The start of whatever file is at the reader's path. */
    public static MetricsPosition start() {
        return new MetricsPosition(null, 0);
    }
}
