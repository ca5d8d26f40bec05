package io.lxcautoscale.bench.lxc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lxcautoscale.common.metrics.MetricsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's jar sampling a real container, SIGKILLed 20 times at random moments of its cycle and started
 * again each time: the metrics file stays readable, every snapshot written before a kill is still there after
 * it, and a kill costs at most the one snapshot being written.
 */
class MonitorKilledTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final int VMID = 9301;
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void twentySigkillsLoseAtMostOneSnapshotEachAndLeaveTheFileReadable() throws Exception {
        RealContainers.require();
        Path jar = REPO.resolve("monitor/target/lxc_monitor.jar");
        assertThat(jar).as("built jar (run mvn -B verify from the repository root)").isRegularFile();
        long seed = System.nanoTime();
        System.out.println("kill moments drawn with seed " + seed);
        Random random = new Random(seed);
        try (LxcHost host = new LxcHost(dir, List.of(new LxcHost.Spec(VMID, 1, 256, 0)))) {
            host.start();
            host.spawn(VMID, "busy.sh");
            Path metrics = dir.resolve("lxc_metrics.json");
            Files.writeString(dir.resolve("lxc_monitor.yaml"), """
                    logging:
                      log_file: %1$s/lxc_monitor.log
                    monitoring:
                      export_file: %2$s
                      check_interval: 1
                    paths:
                      pve_lxc_dir: %3$s
                    lock_file: %1$s/lxc_monitor.lock
                    """.formatted(dir, metrics, host.confDir()));
            List<String> lossPerKill = new ArrayList<>();
            long corruptBefore = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                long before = count(metrics)[0];
                Process monitor = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-jar", jar.toString(),
                        "--config", dir.resolve("lxc_monitor.yaml").toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("monitor.out").toFile()))
                        .start();
                try {
                    // running: it has appended a snapshot in this life
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (count(metrics)[0] <= before) {
                        if (!monitor.isAlive() || System.nanoTime() > deadline) {
                            fail("the monitor wrote nothing in life " + kill + ":\n" + Files.readString(dir.resolve("monitor.out")));
                        }
                        Thread.sleep(50);
                    }
                    Thread.sleep(random.nextInt(1000)); // anywhere in its 1 s cycle
                    long[] atKill = count(metrics);
                    monitor.destroyForcibly(); // SIGKILL
                    assertThat(monitor.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    long[] after = count(metrics);
                    // what was complete before the kill is still there; what was being written may be torn (one line)
                    assertThat(after[0]).as("snapshots after kill %d", kill).isGreaterThanOrEqualTo(atKill[0]);
                    lossPerKill.add(Long.toString(after[1] - corruptBefore));
                    assertThat(after[1] - corruptBefore).as("torn snapshots from kill %d", kill).isLessThanOrEqualTo(1);
                    corruptBefore = after[1];
                } finally {
                    monitor.destroyForcibly();
                }
            }
            long[] end = count(metrics);
            System.out.println("after " + KILLS + " SIGKILLs: " + end[0] + " snapshots readable, " + end[1]
                    + " torn lines; torn per kill " + lossPerKill);
            assertThat(end[0]).as("at least one snapshot per life").isGreaterThanOrEqualTo(KILLS);
            assertThat(end[1]).as("torn lines").isLessThanOrEqualTo(KILLS);
        }
    }

    /** {complete snapshots, torn lines} of the metrics file as a fresh reader sees it. */
    private static long[] count(Path metrics) throws IOException {
        if (!Files.exists(metrics)) {
            return new long[] {0, 0};
        }
        try (MetricsReader reader = new MetricsReader(metrics)) {
            long[] n = {0};
            reader.poll(s -> {
                if (s.containers().containsKey(Integer.toString(VMID))) {
                    n[0]++;
                }
            });
            return new long[] {n[0], reader.corruptLines()};
        }
    }
}
