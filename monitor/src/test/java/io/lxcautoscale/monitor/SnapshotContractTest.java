package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.common.testing.RepositoryFile;
import io.lxcautoscale.monitor.collect.Collector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The snapshot against the keys listed in docs/metrics-format.md (the contract with the model), and log volume. */
class SnapshotContractTest {
    private static final Pattern QUOTED = Pattern.compile("`([^`]*)`");

    /** The text of the section headed {@code ## heading} of docs/metrics-format.md, up to the next {@code ## }. */
    private static String section(String heading) throws IOException {
        String doc = Files.readString(RepositoryFile.find("docs/metrics-format.md"), StandardCharsets.UTF_8);
        int from = doc.indexOf("\n## " + heading + "\n");
        assertThat(from).as("section '%s' of docs/metrics-format.md", heading).isNotNegative();
        int to = doc.indexOf("\n## ", from + 1);
        return doc.substring(from, to < 0 ? doc.length() : to);
    }

    /** Every sample key of docs/metrics-format.md: the backquoted names in the first column of the Sample tables. */
    static Set<String> documentedSampleKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String line : section("Sample (one container)").split("\n")) {
            String[] cells = line.split("\\|");
            if (line.startsWith("|") && cells.length > 1 && !cells[1].isBlank() && !cells[1].contains("---")) {
                Matcher m = QUOTED.matcher(cells[1]);
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    /** Every summary key of docs/metrics-format.md: the backquoted names of its Summary section. */
    static Set<String> documentedSummaryKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = QUOTED.matcher(section("Summary"));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    @Test
    void theDocumentedKeysAreReadFromTheDocument() throws IOException {
        // a check of the reader above: the header row is not a key, and no shorthand (".tx_bytes") slipped in
        Set<String> sample = documentedSampleKeys();
        assertThat(sample).contains("timestamp", "network_usage.tx_bytes", "pressure.io.full_avg10", "rates.disk_write_ops_per_s")
                .doesNotContain("key").allMatch(k -> k.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*"));
        assertThat(documentedSummaryKeys()).contains("collection_start_time", "skipped")
                .allMatch(k -> k.matches("[a-z0-9_]+"));
    }

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1);

    @Test
    void everyKeyWrittenOnV2IsInTheContractAndAFullSampleHasThemAll() throws IOException {
        HostTree tree = new HostTree(dir, true);
        HostTree.Ct ct = tree.add(101, "cores: 2\ncpulimit: 1.5\nmemory: 2048\nswap: 512\nhostname: web1\ntags: a;b\nlock: backup\n");
        Collector c = new Collector(HostTrees.settings(tree), Clock.systemUTC(), nanos::get);
        nanos.addAndGet(10_000_000_000L);
        c.collect();
        ct.nrPeriods += 100; // CFS periods ran under the quota: the throttled share has a denominator
        tree.write(ct);
        nanos.addAndGet(10_000_000_000L);
        ObjectNode snapshot = c.collect();

        Set<String> written = new TreeSet<>();
        flatten("", snapshot.get("101"), written);
        Set<String> documented = documentedSampleKeys();
        assertThat(written).as("keys written but not in docs/metrics-format.md").isSubsetOf(documented);
        assertThat(written).as("a v2 container with every file present yields every documented key")
                .containsExactlyInAnyOrderElementsOf(documented);
        assertThat(snapshot.at("/101/allocation/effective_cpus").asDouble()).as("cpulimit binds").isEqualTo(1.5);

        Set<String> summary = new TreeSet<>();
        snapshot.get("summary").fieldNames().forEachRemaining(summary::add);
        assertThat(summary).containsExactlyInAnyOrderElementsOf(documentedSummaryKeys());
        assertThat(snapshot.get("summary").get("collection_start_time").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    }

    /** The config is looked at every 30 s (monitor.md): a change shows within 30 s, even one of the same size in the same second. */
    @Test
    void aConfigChangeIsPickedUpWithinThirtySeconds() {
        HostTree tree = new HostTree(dir, true);
        tree.add(101, "cores: 2\nmemory: 2048\n");
        Collector c = new Collector(HostTrees.settings(tree), Clock.systemUTC(), nanos::get);
        assertThat(c.collect().at("/101/allocation/cores").asInt()).isEqualTo(2);
        HostTree.write(tree.pve.resolve("101.conf"), "cores: 4\nmemory: 2048\n"); // same size, same second
        nanos.addAndGet(30_000_000_000L);
        assertThat(c.collect().at("/101/allocation/cores").asInt()).isEqualTo(4);
    }

    @Test
    void aGarbageFileIsLoggedOnceNotEveryCycle() {
        HostTree tree = new HostTree(dir, true);
        tree.add(101, "cores: 2\n");
        HostTree.write(tree.cgroup.resolve("lxc/101/memory.current"), "garbage\n");
        Logger logger = (Logger) LoggerFactory.getLogger(Collector.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Collector c = new Collector(HostTrees.settings(tree), Clock.systemUTC(), nanos::get);
            for (int i = 0; i < 5; i++) {
                c.collect();
            }
        } finally {
            logger.detachAppender(appender);
        }
        long warnings = appender.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("memory.current"))
                .count();
        assertThat(warnings).isEqualTo(1);
    }

    private static void flatten(String prefix, JsonNode node, Set<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.add(prefix);
        }
    }
}
