package io.lxcautoscale.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.testing.HostTree;
import io.lxcautoscale.monitor.collect.Collector;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The snapshot against docs/metrics-format.md (the contract with the model), and log volume. */
class SnapshotContractTest {
    /** Every sample key of docs/metrics-format.md, flattened with dots. */
    private static final Set<String> SAMPLE_KEYS = Set.of(
            "timestamp", "cpu_usage_percent", "memory_usage_mb", "swap_usage_mb", "swap_total_mb", "process_count",
            "io_stats.reads", "io_stats.writes", "network_usage.rx_bytes", "network_usage.tx_bytes",
            "filesystem_usage_gb", "filesystem_total_gb", "filesystem_free_gb", "interval_seconds",
            "allocation.cores", "allocation.cpulimit", "allocation.effective_cpus", "allocation.memory_mb",
            "allocation.swap_mb", "allocation.tags", "allocation.lock", "allocation.hostname", "allocation.cpu_bound_by",
            "cpu.used_cores", "cpu.percent_of_allocation", "cpu.percent_of_host", "cpu.usage_usec", "cpu.nr_periods",
            "cpu.nr_throttled", "cpu.throttled_usec", "cpu.throttled_share", "memory.used_mb", "memory.current_mb",
            "memory.file_mb", "memory.anon_mb", "memory.shmem_mb", "memory.kernel_mb", "memory.unreclaimable_mb",
            "memory.max_mb", "memory.high_mb", "memory.swap_mb", "memory.swap_max_mb", "memory.events.high",
            "memory.events.max", "memory.events.oom", "memory.events.oom_kill",
            "pressure.cpu.some_avg10", "pressure.cpu.full_avg10", "pressure.memory.some_avg10",
            "pressure.memory.full_avg10", "pressure.io.some_avg10", "pressure.io.full_avg10",
            "pressure.cpu.some_total_usec", "pressure.cpu.some_percent", "pressure.memory.some_total_usec",
            "pressure.memory.some_percent",
            "io.read_bytes", "io.write_bytes", "io.read_ops", "io.write_ops",
            "rates.net_rx_bytes_per_s", "rates.net_tx_bytes_per_s", "rates.disk_read_bytes_per_s",
            "rates.disk_write_bytes_per_s", "rates.disk_read_ops_per_s", "rates.disk_write_ops_per_s");
    private static final Set<String> SUMMARY_KEYS = Set.of(
            "collection_start_time", "collection_end_time", "total_containers", "collected_containers",
            "total_duration_seconds", "monitor_cpu_percent", "monitor_memory_usage_mb", "format_version", "hostname",
            "host_cpus", "host_memory_mb", "cgroup_version", "monitor_cpu_seconds", "monitor_rss_mb", "skipped");

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1);

    @Test
    void everyKeyWrittenOnV2IsInTheContractAndAFullSampleHasThemAll() {
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
        assertThat(written).isSubsetOf(SAMPLE_KEYS);
        assertThat(written).as("a v2 container with every file present yields every documented key")
                .containsExactlyInAnyOrderElementsOf(SAMPLE_KEYS);
        assertThat(snapshot.at("/101/allocation/effective_cpus").asDouble()).as("cpulimit binds").isEqualTo(1.5);

        Set<String> summary = new TreeSet<>();
        snapshot.get("summary").fieldNames().forEachRemaining(summary::add);
        assertThat(summary).containsExactlyInAnyOrderElementsOf(SUMMARY_KEYS);
        assertThat(snapshot.get("summary").get("collection_start_time").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
    }

    @Test
    void aConfigChangeIsPickedUpOnTheNextCycle() {
        HostTree tree = new HostTree(dir, true);
        tree.add(101, "cores: 2\nmemory: 2048\n");
        Collector c = new Collector(HostTrees.settings(tree), Clock.systemUTC(), nanos::get);
        assertThat(c.collect().at("/101/allocation/cores").asInt()).isEqualTo(2);
        HostTree.write(tree.pve.resolve("101.conf"), "cores: 4\nmemory: 2048\n"); // same size, same second
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
