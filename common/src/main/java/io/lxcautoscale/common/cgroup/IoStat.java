package io.lxcautoscale.common.cgroup;

import static io.lxcautoscale.common.read.ByteText.GARBAGE;

import io.lxcautoscale.common.read.ByteText;

/** Sums a container's per-device block I/O counters, leaving out the excluded devices. */
final class IoStat {
    private static final byte[] RBYTES = ByteText.key("rbytes=");
    private static final byte[] WBYTES = ByteText.key("wbytes=");
    private static final byte[] RIOS = ByteText.key("rios=");
    private static final byte[] WIOS = ByteText.key("wios=");
    private static final byte[] READ = ByteText.key("Read");
    private static final byte[] WRITE = ByteText.key("Write");

    private final DeviceFilter devices;
    private int major;
    private int minor;

    IoStat(DeviceFilter devices) {
        this.devices = devices;
    }

    /**
     * cgroup v2 {@code io.stat}: {@code MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N} per line.
     * An empty file means no I/O yet (all zero). Returns false on a malformed line (sums left absent).
     */
    boolean parseV2(byte[] b, int len, CgroupCounters raw) {
        long rb = 0;
        long wb = 0;
        long ri = 0;
        long wi = 0;
        int line = 0;
        while (line < len) {
            int eol = ByteText.indexOf(b, line, len, (byte) '\n');
            if (eol > line) {
                int p = device(b, line, eol);
                if (p < 0) {
                    return false;
                }
                boolean skip = devices.excluded(major, minor);
                while (p < eol) {
                    while (p < eol && b[p] == ' ') {
                        p++;
                    }
                    int end = p;
                    while (end < eol && b[end] != ' ') {
                        end++;
                    }
                    if (p < end && !skip) {
                        long v;
                        if ((v = field(b, p, end, RBYTES)) != Long.MIN_VALUE + 1) {
                            rb = add(rb, v);
                        } else if ((v = field(b, p, end, WBYTES)) != Long.MIN_VALUE + 1) {
                            wb = add(wb, v);
                        } else if ((v = field(b, p, end, RIOS)) != Long.MIN_VALUE + 1) {
                            ri = add(ri, v);
                        } else if ((v = field(b, p, end, WIOS)) != Long.MIN_VALUE + 1) {
                            wi = add(wi, v);
                        }
                    }
                    p = end;
                }
                if (rb == GARBAGE || wb == GARBAGE || ri == GARBAGE || wi == GARBAGE) {
                    return false;
                }
            }
            line = eol + 1;
        }
        raw.ioReadBytes = rb;
        raw.ioWriteBytes = wb;
        raw.ioReadOps = ri;
        raw.ioWriteOps = wi;
        return true;
    }

    /**
     * cgroup v1 {@code blkio.throttle.io_service_bytes_recursive} / {@code io_serviced_recursive}:
     * {@code MAJ:MIN Read N} / {@code Write} / {@code Sync} / ... lines and a final {@code Total N}.
     * Returns {read, write} or null when malformed.
     */
    long[] parseV1(byte[] b, int len) {
        long read = 0;
        long write = 0;
        int line = 0;
        while (line < len) {
            int eol = ByteText.indexOf(b, line, len, (byte) '\n');
            if (eol > line && !ByteText.startsWith(b, line, eol, TOTAL)) {
                int p = device(b, line, eol);
                if (p < 0) {
                    return null;
                }
                while (p < eol && b[p] == ' ') {
                    p++;
                }
                int opEnd = p;
                while (opEnd < eol && b[opEnd] != ' ') {
                    opEnd++;
                }
                long v = ByteText.digits(b, opEnd + 1, eol);
                if (v == GARBAGE) {
                    return null;
                }
                if (!devices.excluded(major, minor)) {
                    if (opEnd - p == READ.length && ByteText.startsWith(b, p, opEnd, READ)) {
                        read += v;
                    } else if (opEnd - p == WRITE.length && ByteText.startsWith(b, p, opEnd, WRITE)) {
                        write += v;
                    }
                }
            }
            line = eol + 1;
        }
        return new long[] {read, write};
    }

    private static final byte[] TOTAL = ByteText.key("Total");

    /** Parses {@code MAJ:MIN} at the start of a line into the fields; the index after it or -1. */
    private int device(byte[] b, int start, int eol) {
        int colon = ByteText.indexOf(b, start, eol, (byte) ':');
        int space = ByteText.indexOf(b, start, eol, (byte) ' ');
        if (colon >= space) {
            return -1;
        }
        long ma = ByteText.digits(b, start, colon);
        long mi = ByteText.digits(b, colon + 1, space);
        if (ma == GARBAGE || mi == GARBAGE || ma > Integer.MAX_VALUE || mi > Integer.MAX_VALUE) {
            return -1;
        }
        major = (int) ma;
        minor = (int) mi;
        return space;
    }

    /** The number after {@code prefix} in token {@code b[p, end)}; MIN_VALUE+1 when the token is another key. */
    private static long field(byte[] b, int p, int end, byte[] prefix) {
        if (!ByteText.startsWith(b, p, end, prefix)) {
            return Long.MIN_VALUE + 1;
        }
        return ByteText.digits(b, p + prefix.length, end);
    }

    private static long add(long sum, long v) {
        return sum == GARBAGE || v == GARBAGE ? GARBAGE : sum + v;
    }
}
