package io.lxcautoscale.common.read;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether files may still be kept open between reads. Shared by every {@link HeldFile} of one reader (the
 * monitor keeps about 15 per container). The first time an open fails because the process or the system is
 * out of descriptors (EMFILE / ENFILE), keeping files open stops for the rest of the run: files not yet open
 * are then opened, read and closed on each read, and the files already open stay open. Logged once.
 */
public final class OpenFileBudget {
    private static final Logger LOG = LoggerFactory.getLogger(OpenFileBudget.class);

    private boolean exhausted;

    /** True while new files may be kept open. */
    public boolean allowsKeepingOpen() {
        return !exhausted;
    }

    /** True when {@code message} (of an open that failed) is the kernel's EMFILE or ENFILE text. */
    static boolean isOutOfDescriptors(String message) {
        return message != null && message.contains("Too many open files");
    }

    void exhausted(String path, String reason) {
        if (!exhausted) {
            exhausted = true;
            LOG.warn("out of file descriptors opening {} ({}): files not yet open are now opened and closed on every read"
                    + " (raise LimitNOFILE; logged once)", path, reason);
        }
    }
}
