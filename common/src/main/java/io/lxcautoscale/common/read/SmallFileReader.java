package io.lxcautoscale.common.read;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads whole small kernel files (cgroup, proc, sysfs) into one reusable byte buffer, so the hot path
 * allocates no per-file buffers or strings. Not thread-safe: one instance per collecting thread.
 */
public final class SmallFileReader {
    /** Returned by {@link #read} when the file does not exist. */
    public static final int MISSING = -1;
    /** Kernel files read here are far smaller; a larger file is a mistake (e.g. a root pointed at a log). */
    private static final int MAX_BYTES = 4 << 20;
    /** FileInputStream copies through an 8 KiB stack buffer; larger requests would malloc on every read. */
    private static final int CHUNK = 8192;

    /**
     * A kernel file that answers a read of at least this size with fewer bytes is at its end. Files generated
     * record by record (seq_file) may stop a read early only when the next record would overflow their page-sized
     * buffer, i.e. past this size for the records of the files read here (lines far shorter than 1 KiB).
     */
    private static final int SHORT_READ_IS_END_BELOW = 3072;

    private byte[] buffer = new byte[CHUNK];
    private ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    private int length;

    /**
     * Reads {@code path} completely.
     *
     * @return the number of bytes read, or {@link #MISSING} when the file (or its directory) does not exist
     * @throws IOException for any other failure (permission, a cgroup removed while it was read: ENODEV)
     */
    public int read(String path) throws IOException {
        return read(new File(path));
    }

    /**
     * Reads {@code file} completely; callers on the hot path keep their {@code File} objects, which saves
     * the path normalisation and validation {@code new File(String)} repeats on every call.
     *
     * @return the number of bytes read, or {@link #MISSING} when the file (or its directory) does not exist
     * @throws IOException for any other failure (permission, a cgroup removed while it was read: ENODEV)
     */
    public int read(File file) throws IOException {
        length = 0;
        FileInputStream in;
        try {
            in = new FileInputStream(file);
        } catch (FileNotFoundException e) {
            String message = e.getMessage();
            if (message != null && (message.endsWith("(No such file or directory)") || message.endsWith("(Not a directory)"))) {
                return MISSING;
            }
            throw e;
        }
        try (in) {
            int n = 0;
            while (true) {
                if (n == buffer.length) {
                    if (buffer.length >= MAX_BYTES) {
                        throw new IOException(file + ": file is larger than " + MAX_BYTES + " bytes");
                    }
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int r = in.read(buffer, n, Math.min(CHUNK, buffer.length - n));
                if (r < 0) {
                    break;
                }
                n += r;
            }
            length = n;
            return n;
        }
    }

    /**
     * Reads the whole content of an open file with positional reads from offset 0 (its own position is left
     * alone): one read for a small file. For cgroup, proc and sysfs files a read at offset 0 generates the content
     * afresh.
     *
     * @return the number of bytes read
     * @throws IOException any failure, e.g. ENODEV when the cgroup the file belonged to was removed
     */
    public int readFrom(FileChannel channel) throws IOException {
        length = 0;
        int n = 0;
        while (true) {
            if (n == buffer.length) {
                if (buffer.length >= MAX_BYTES) {
                    throw new IOException("file is larger than " + MAX_BYTES + " bytes");
                }
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
                wrapped = ByteBuffer.wrap(buffer);
            }
            wrapped.limit(buffer.length).position(n);
            int asked = buffer.length - n;
            int r = channel.read(wrapped, n);
            if (r <= 0) {
                break;
            }
            n += r;
            if (r < asked && n < SHORT_READ_IS_END_BELOW) {
                break;
            }
        }
        length = n;
        return n;
    }

    /** The bytes of the last successful read; valid up to {@link #length()} until the next read. */
    public byte[] buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }
}
