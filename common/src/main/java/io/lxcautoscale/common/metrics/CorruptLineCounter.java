package io.lxcautoscale.common.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.Supplier;

/** Counts the corrupt lines (and damaged array parts) a reader skipped; logs the first ones at WARN. */
final class CorruptLineCounter {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsReader.class);
    private static final int WARNINGS = 20;

    private final Supplier<Path> file;
    private long count;

    /** @param file the file being read, for messages */
    CorruptLineCounter(Supplier<Path> file) {
        this.file = file;
    }

    /** Counts and logs one skipped line starting at byte {@code at}. */
    void skip(long at, String reason) {
        count++;
        if (count <= WARNINGS) {
            LOG.warn("skipping corrupt line in metrics file {} at byte {}: {}{}", file.get(), at, reason,
                    count == WARNINGS ? " (further corrupt lines are logged at debug level)" : "");
        } else {
            LOG.debug("skipping corrupt line in metrics file {} at byte {}: {}", file.get(), at, reason);
        }
    }

    long count() {
        return count;
    }
}
