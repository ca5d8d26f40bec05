package io.lxcautoscale.common.logging;

import java.nio.file.Path;
import java.util.List;

/**
 * Where and how much a daemon logs: the console (journald under systemd) always, a size-rotated file when
 * {@code file} is set.
 *
 * @param level       TRACE, DEBUG, INFO, WARN or ERROR
 * @param file        optional log file; null means console only
 * @param maxSizeMb   size at which the file is rotated
 * @param backupCount rotated files kept
 */
public record LoggingConfig(String level, Path file, int maxSizeMb, int backupCount) {
    public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public static LoggingConfig consoleOnly(String level) {
        return new LoggingConfig(level, null, 10, 5);
    }
}
