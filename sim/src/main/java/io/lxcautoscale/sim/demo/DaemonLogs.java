package io.lxcautoscale.sim.demo;

import ch.qos.logback.classic.Logger;
import io.lxcautoscale.common.logging.LoggingConfig;
import io.lxcautoscale.common.logging.LoggingSetup;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Where the log lines of the monitor and the model go when fast-forward runs them in the demo's JVM. */
final class DaemonLogs {
    private DaemonLogs() {
    }

    /** Everything at INFO and above into {@code file} only, so the demo's own output stays the table. */
    static void toFile(Path file) {
        LoggingSetup.configure("lxc_demo", new LoggingConfig("INFO", file, 10, 1));
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender("console");
    }
}
