package io.lxcautoscale.bench.status;

import io.lxcautoscale.common.metrics.MetricTime;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * Writes a host's files as the status page reads them: a metrics file (one snapshot line per monitor cycle,
 * every container in each line, with the keys the page reads plus the summary) and a decision journal (one entry
 * per container per model cycle, a change now and then). Deterministic for a given seed. Used by the status
 * benchmark and the browser test.
 *
 * @param containers        containers, VMIDs 101, 102, …
 * @param hours             history length
 * @param sampleSeconds     monitor interval
 * @param decisionSeconds   model interval
 * @param changeEvery       every n-th decision of a container is a change (applied; every 5th change failed)
 * @param end               time of the last sample
 */
public record StatusFixture(int containers, int hours, int sampleSeconds, int decisionSeconds, int changeEvery, Instant end) {
    /** What was written. */
    public record Written(Path metrics, Path journal, long metricsBytes, long journalBytes, long samples, long entries,
                          int changesOfFirstContainerInLastDay) {
    }

    public Written write(Path metrics, Path journal) throws IOException {
        long first = end.getEpochSecond() - (long) hours * 3600;
        double[] cores = new double[containers];
        long[] memory = new long[containers];
        for (int c = 0; c < containers; c++) {
            cores[c] = 1 + c % 4;
            memory[c] = 512L << (c % 3);
        }
        Random random = new Random(42);
        long samples = 0;
        long entries = 0;
        int changesOfFirst = 0;
        try (BufferedWriter m = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8);
             BufferedWriter j = Files.newBufferedWriter(journal, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(containers * 300);
            long nextDecision = first + decisionSeconds;
            int decisionCount = 0;
            for (long t = first + sampleSeconds; t <= end.getEpochSecond(); t += sampleSeconds) {
                String at = MetricTime.format(Instant.ofEpochSecond(t));
                double day = Math.sin(2 * Math.PI * (t % 86400) / 86400.0);
                line.setLength(0);
                line.append('{');
                for (int c = 0; c < containers; c++) {
                    double used = Math.max(0.01, cores[c] * (0.45 + 0.3 * day + 0.1 * random.nextGaussian()));
                    long usedMb = Math.max(32, (long) (memory[c] * (0.55 + 0.2 * day) + 20 * random.nextGaussian()));
                    line.append('"').append(101 + c).append("\":{\"timestamp\":\"").append(at)
                            .append("\",\"interval_seconds\":").append(sampleSeconds)
                            .append(",\"cpu_usage_percent\":").append(round(100 * used / cores[c]))
                            .append(",\"memory_usage_mb\":").append(usedMb)
                            .append(",\"cpu\":{\"used_cores\":").append(round(used)).append('}')
                            .append(",\"memory\":{\"used_mb\":").append(usedMb).append(",\"events\":{\"oom_kill\":")
                            .append(c % 50 == 7 && t % 21600 < sampleSeconds ? 1 : 0).append("}}")
                            .append(",\"allocation\":{\"cores\":").append((int) cores[c]).append(",\"effective_cpus\":").append((int) cores[c])
                            .append(",\"memory_mb\":").append(memory[c]).append(",\"hostname\":\"ct").append(101 + c)
                            .append("\",\"tags\":[").append(c % 10 == 3 ? "\"autoscale-off\"" : c % 4 == 0 ? "\"web\"" : "").append("]}},");
                    samples++;
                }
                line.append("\"summary\":{\"hostname\":\"pve-bench\",\"host_cpus\":64,\"host_memory_mb\":262144,\"collected_containers\":")
                        .append(containers).append("}}\n");
                m.write(line.toString());
                if (t >= nextDecision) {
                    nextDecision += decisionSeconds;
                    decisionCount++;
                    String jat = MetricTime.format(Instant.ofEpochSecond(t));
                    for (int c = 0; c < containers; c++) {
                        boolean change = (decisionCount + c) % changeEvery == 0 && c % 10 != 3;
                        double before = cores[c];
                        long memBefore = memory[c];
                        String outcome = "no-change";
                        String action = "none";
                        int coresAfter = (int) before;
                        long memAfter = memBefore;
                        String reason = "demand within the band: cores and memory kept";
                        if (change) {
                            boolean up = (decisionCount / changeEvery + c) % 2 == 0;
                            cores[c] = Math.max(1, Math.min(8, before + (up ? 1 : -1)));
                            memory[c] = Math.max(256, memBefore + (up ? 256 : -256));
                            outcome = (decisionCount / changeEvery) % 5 == 4 ? "failed" : "applied";
                            action = up ? "increase" : "decrease";
                            coresAfter = (int) cores[c];
                            memAfter = memory[c];
                            reason = (up ? "p95 CPU demand above the band" : "CPU demand below the band for 2 h") + "; memory follows";
                            if (outcome.equals("failed")) {
                                cores[c] = before;
                                memory[c] = memBefore;
                            }
                            if (c == 0 && t > end.getEpochSecond() - 86400) {
                                changesOfFirst++;
                            }
                        }
                        if (c % 10 == 3) {
                            outcome = "skipped";
                            reason = "skipped: opted out by tag 'autoscale-off'";
                        }
                        j.write("{\"timestamp\":\"" + jat + "\",\"container_id\":\"" + (101 + c) + "\",\"cpu_action\":\"" + action
                                + "\",\"cpu_amount\":" + Math.abs(coresAfter - (int) before) + ",\"ram_action\":\"" + action + "\",\"ram_amount\":"
                                + Math.abs(memAfter - memBefore) + ",\"confidence\":" + round(60 + 30 * random.nextDouble())
                                + ",\"reason\":\"" + reason + "\",\"anomaly_score\":" + round(0.3 + 0.2 * random.nextDouble())
                                + ",\"anomaly_threshold\":0.62,\"anomalous\":false,\"urgent\":false,\"cores_before\":" + (int) before
                                + ",\"cores_after\":" + coresAfter
                                + ",\"memory_mb_before\":" + memBefore + ",\"memory_mb_after\":" + memAfter + ",\"outcome\":\"" + outcome + "\""
                                + (outcome.equals("failed") ? ",\"error\":\"pct set exited 255: CT is locked (backup)\"" : "") + "}\n");
                        entries++;
                    }
                }
            }
        }
        return new Written(metrics, journal, Files.size(metrics), Files.size(journal), samples, entries, changesOfFirst);
    }

    /** The model configuration the fixture's tags mean something in: a "web" tier, the default opt-out tag. */
    public static String modelYaml() {
        return "node: {reserve_cores: 2, reserve_memory_mb: 4096}\nopt_out_tags: [autoscale-off]\ntiers:\n  names: [web]\n  web: {tags: [web]}\n";
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
