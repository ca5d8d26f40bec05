package io.lxcautoscale.monitor.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.metrics.MetricsWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends each snapshot to the metrics file through common's writer. When the file cannot be written
 * (disk full, read-only, directory missing) the condition is logged once, the snapshot of that cycle is
 * dropped, sampling goes on, and writing resumes by itself once the condition is gone.
 */
public final class ExportSink implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ExportSink.class);

    private final MetricsWriter writer;
    private final WarnOnce warnings = new WarnOnce(LOG);
    private String failing;
    private long dropped;

    public ExportSink(Path file, long maxFileBytes, int rotatedFilesKept, Duration maxAge) {
        this.writer = new MetricsWriter(file, maxFileBytes, rotatedFilesKept, maxAge);
    }

    /** Appends one snapshot tree; false when it could not be written (already logged). */
    public boolean write(ObjectNode snapshot) {
        return write(SnapshotLine.of(snapshot));
    }

    /** Appends one snapshot line; false when it could not be written (already logged). */
    public boolean write(SnapshotLine line) {
        try {
            writer.append(line.bytes(), line.length());
            if (failing != null) {
                warnings.resolved(failing, "writing " + writer.file() + " again; " + dropped + " snapshot(s) were dropped meanwhile");
                failing = null;
                dropped = 0;
            }
            return true;
        } catch (IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String condition = cause.getClass().getName() + ":" + cause.getMessage();
            if (failing != null && !failing.equals(condition)) {
                warnings.forget(failing);
            }
            failing = condition;
            dropped++;
            warnings.warn(condition, "cannot write metrics: " + e.getMessage()
                    + "; sampling continues and writing resumes when possible (logged once per condition)");
            return false;
        }
    }

    public Path file() {
        return writer.file();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
