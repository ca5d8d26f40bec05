package io.lxcautoscale.common.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * Which file a {@link MetricsPosition} refers to: the file system's key (device and inode) plus a
 * checksum of the file's first bytes, because an inode freed by a deleted file is soon reused by a
 * new one. Written as {@code <inode key>#<prefix bytes>:<crc32 hex>}.
 */
record FileIdentity(String inode, int prefixBytes, long prefixCrc) {
    /** How many leading bytes the checksum covers once the file has that many. */
    static final int PREFIX_BYTES = 512;

    static FileIdentity parse(String text) {
        int hash = text.lastIndexOf('#');
        int colon = text.lastIndexOf(':');
        if (hash < 0 || colon < hash) {
            // A bare inode key (hand-written or older position): no checksum to compare.
            return new FileIdentity(text, 0, 0);
        }
        try {
            int bytes = Integer.parseInt(text.substring(hash + 1, colon));
            long crc = Long.parseLong(text.substring(colon + 1), 16);
            if (bytes < 0 || bytes > PREFIX_BYTES) {
                throw new IllegalArgumentException("file key " + text + ": prefix length " + bytes
                        + " outside 0.." + PREFIX_BYTES);
            }
            return new FileIdentity(text.substring(0, hash), bytes, crc);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("file key " + text + " is not <inode>#<bytes>:<crc32 hex>", e);
        }
    }

    /** The identity of the open file {@code channel}, whose inode key is {@code inode}. */
    static FileIdentity of(String inode, FileChannel channel) throws IOException {
        int bytes = (int) Math.min(PREFIX_BYTES, channel.size());
        return new FileIdentity(inode, bytes, crc(channel, bytes));
    }

    /** Whether the open file {@code channel} with inode key {@code otherInode} is this file. */
    boolean matches(String otherInode, FileChannel channel) throws IOException {
        if (!inode.equals(otherInode)) {
            return false;
        }
        return prefixBytes == 0 || channel.size() >= prefixBytes && crc(channel, prefixBytes) == prefixCrc;
    }

    /** True while the checksum does not yet cover {@link #PREFIX_BYTES} and the file has grown. */
    boolean canGrow(long size) {
        return prefixBytes < PREFIX_BYTES && size > prefixBytes;
    }

    private static long crc(FileChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                break;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.position());
        return crc.getValue();
    }

    @Override
    public String toString() {
        return inode + "#" + prefixBytes + ":" + Long.toHexString(prefixCrc);
    }
}
