package io.lxcautoscale.common.read;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many files the {@link HeldFile}s of one reader may keep open together (the monitor keeps about 15 per
 * container): the process's descriptor limit ({@code RLIMIT_NOFILE}, systemd's {@code LimitNOFILE}) less a
 * reserve of {@value #RESERVE} for everything else (jars, log and metrics files, the open/read/close of files not
 * held). Past that, files are opened, read and closed on each read instead; logged once. An open that fails
 * with EMFILE / ENFILE anyway (descriptors used elsewhere) lowers the budget to what is held less the reserve and
 * closes held files down to it at once, so the fallback and the rest of the process have descriptors to work with.
 * Not thread-safe.
 */
public final class OpenFileBudget {
    /** Descriptors left for everything but held files. */
    static final int RESERVE = 64;
    private static final Logger LOG = LoggerFactory.getLogger(OpenFileBudget.class);

    private long limit;
    /** The files holding a descriptor now, oldest first. */
    private final Set<HeldFile> holders = new LinkedHashSet<>();
    private boolean logged;

    /** A budget from this process's descriptor limit. */
    public OpenFileBudget() {
        this(processDescriptorLimit() - RESERVE);
    }

    /** A budget of {@code limit} held files. */
    public OpenFileBudget(long limit) {
        this.limit = Math.max(0, limit);
    }

    /** A budget that keeps no file open, without logging it: every read opens, reads and closes its file. */
    public static OpenFileBudget none() {
        OpenFileBudget none = new OpenFileBudget(0);
        none.logged = true;
        return none;
    }

    /** The soft RLIMIT_NOFILE of this process, or a conservative 1024 when the JVM cannot tell. */
    private static long processDescriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return unix.getMaxFileDescriptorCount();
        }
        return 1024;
    }

    /** Takes one descriptor from the budget: false (logged once) when none is left, the file is then not kept open. */
    boolean tryHold(HeldFile file) {
        if (holders.size() < limit) {
            holders.add(file);
            return true;
        }
        if (!logged) {
            logged = true;
            LOG.warn("{} files kept open, the most the descriptor limit allows; {} and other files beyond it are opened and"
                    + " closed on every read (raise LimitNOFILE; logged once)", holders.size(), file.file());
        }
        return false;
    }

    /** Gives back a descriptor taken by {@link #tryHold}. */
    void released(HeldFile file) {
        holders.remove(file);
    }

    /** True when {@code message} (of an open that failed) is the kernel's EMFILE or ENFILE text. */
    static boolean isOutOfDescriptors(String message) {
        return message != null && message.contains("Too many open files");
    }

    /** An open failed for want of descriptors although the budget allowed it: lowers the budget below what is held. */
    void outOfDescriptors(String path, String reason) {
        int before = holders.size();
        limit = Math.max(0, before - RESERVE);
        List<HeldFile> release = new ArrayList<>();
        for (HeldFile file : holders) {
            if (holders.size() - release.size() <= limit) {
                break;
            }
            release.add(file);
        }
        release.forEach(HeldFile::close);
        if (!logged) {
            logged = true;
            LOG.warn("out of file descriptors opening {} ({}) with {} files kept open: closed {}, now keeping at most {};"
                    + " files beyond are opened and closed on every read (raise LimitNOFILE; logged once)",
                    path, reason, before, release.size(), limit);
        }
    }

    /** Files held open now. */
    public long held() {
        return holders.size();
    }
}
