package io.lxcautoscale.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from a {@link LoggingConfig}, replacing whatever was configured before.
 *
 * <p>Under systemd ({@code JOURNAL_STREAM} set) console lines carry no timestamp, because journald adds its
 * own; elsewhere they do. The file, when configured, always has full timestamps.
 */
public final class LoggingSetup {
    private static final String JOURNAL_PATTERN = "%-5level %logger{0} - %msg%n";
    private static final String FULL_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private LoggingSetup() {
    }

    public static void configure(String daemonName, LoggingConfig config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.setName(daemonName);
        reconfigure(config);
    }

    /**
     * Applies {@code config} to the running logging (a reload): the new appenders are attached before the old ones
     * are detached, so a line logged meanwhile by another thread is written, never lost.
     */
    public static void reconfigure(LoggingConfig config) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        List<Appender<ILoggingEvent>> previous = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(previous::add);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        // Jetty and Javalin are chatty at DEBUG; keep them at INFO unless asked for TRACE.
        Level libraries = "TRACE".equalsIgnoreCase(config.level()) ? null : Level.INFO;
        context.getLogger("org.eclipse.jetty").setLevel(libraries);
        context.getLogger("io.javalin").setLevel(libraries);

        boolean journal = System.getenv("JOURNAL_STREAM") != null;
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, journal ? JOURNAL_PATTERN : FULL_PATTERN));
        console.start();
        root.addAppender(console);

        if (config.file() != null) {
            RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
            file.setContext(context);
            file.setName("file");
            file.setFile(config.file().toString());
            FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
            rolling.setContext(context);
            rolling.setParent(file);
            rolling.setFileNamePattern(config.file() + ".%i");
            rolling.setMinIndex(1);
            rolling.setMaxIndex(Math.max(1, config.backupCount()));
            rolling.start();
            SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
            trigger.setContext(context);
            trigger.setMaxFileSize(FileSize.valueOf(config.maxSizeMb() + "MB"));
            trigger.start();
            file.setRollingPolicy(rolling);
            file.setTriggeringPolicy(trigger);
            file.setEncoder(encoder(context, FULL_PATTERN));
            file.start();
            root.addAppender(file);
        }
        for (Appender<ILoggingEvent> old : previous) {
            root.detachAppender(old);
            old.stop();
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
