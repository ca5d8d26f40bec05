package io.lxcautoscale.monitor.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportSinkTest {
    @TempDir
    Path dir;

    private static ObjectNode snapshot(int n) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.putObject("101").put("memory_usage_mb", n);
        s.putObject("summary").put("collected_containers", 1);
        return s;
    }

    @Test
    void missingDirectoryThenUnwritablePathThenRecoveryWritesAgain() throws Exception {
        Path file = dir.resolve("var/log/lxc_metrics.json");
        try (ExportSink sink = new ExportSink(file, 1 << 20, 7, Duration.ofDays(7))) {
            assertThat(sink.write(snapshot(1))).as("directory missing").isFalse();
            assertThat(sink.write(snapshot(2))).isFalse();
            Files.createDirectories(file);            // a directory where the file should be
            assertThat(sink.write(snapshot(3))).as("path is a directory").isFalse();
            Files.delete(file);
            assertThat(sink.write(snapshot(4))).as("recovered").isTrue();
            assertThat(sink.write(snapshot(5))).isTrue();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(Json.mapper().readTree(lines.get(0)).at("/101/memory_usage_mb").asInt()).isEqualTo(4);
        assertThat(Json.mapper().readTree(lines.get(1)).at("/101/memory_usage_mb").asInt()).isEqualTo(5);
    }

    @Test
    void fullDiskIsReportedAndWritingResumesWhenSpaceIsBack() throws Exception {
        // /dev/full fails every write with ENOSPC, like a full disk.
        Path full = Path.of("/dev/full");
        io.lxcautoscale.common.testing.CannotRunHere.unless(Files.isWritable(full), "/dev/full not available");
        Path link = dir.resolve("lxc_metrics.json");
        Files.createSymbolicLink(link, full);
        try (ExportSink sink = new ExportSink(link, 1 << 20, 7, Duration.ofDays(7))) {
            assertThat(sink.write(snapshot(1))).isFalse();
            Files.delete(link);
            assertThat(sink.write(snapshot(2))).isTrue();
        }
        assertThat(Files.readAllLines(link)).hasSize(1);
    }

    @Test
    void aLastingConditionIsLoggedOnceAndItsEndOnce() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ExportSink.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ch.qos.logback.classic.Level before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // the recovery is an INFO line; tests log at WARN by default
        Path file = dir.resolve("missing/lxc_metrics.json");
        try (ExportSink sink = new ExportSink(file, 1 << 20, 7, Duration.ofDays(7))) {
            for (int i = 0; i < 10; i++) {
                sink.write(snapshot(i));
            }
            Files.createDirectories(file.getParent());
            sink.write(snapshot(10));
            sink.write(snapshot(11));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        List<String> messages = appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).startsWith("WARN").contains(file.toString());
        assertThat(messages.get(1)).startsWith("INFO").contains("10 snapshot(s) were dropped");
    }
}
