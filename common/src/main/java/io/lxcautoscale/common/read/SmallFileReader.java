package io.lxcautoscale.common.read;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
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

    private byte[] buffer = new byte[CHUNK];
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

    /** The bytes of the last successful read; valid up to {@link #length()} until the next read. */
    public byte[] buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }
}
