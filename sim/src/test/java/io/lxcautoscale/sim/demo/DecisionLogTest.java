package io.lxcautoscale.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLogTest {
    static String entry(String vmid, String cpu, int before, int after, String outcome) {
        return "{\"timestamp\":\"2026-11-27T20:00:05.000000+00:00\",\"container_id\":\"" + vmid + "\",\"cpu_action\":\"" + cpu
                + "\",\"ram_action\":\"none\",\"cores_before\":" + before + ",\"cores_after\":" + after
                + ",\"memory_mb_before\":1024,\"memory_mb_after\":1024,\"outcome\":\"" + outcome + "\",\"reason\":\"why " + vmid + "\"}\n";
    }

    @Test
    void followsAppendsCountsAppliedChangesAndWaitsForCompleteLines(@TempDir Path tmp) throws Exception {
        Path journal = tmp.resolve("s.json");
        DecisionLog log = new DecisionLog(journal);
        log.poll(); // absent file: nothing yet
        Files.writeString(journal, entry("101", "increase", 1, 2, "applied") + entry("102", "decrease", 8, 7, "failed"));
        String half = entry("102", "decrease", 8, 7, "applied");
        Files.writeString(journal, half.substring(0, 40), StandardOpenOption.APPEND);
        log.poll();
        assertThat(log.appliedUps()).isEqualTo(1);
        assertThat(log.appliedDowns()).isZero();
        assertThat(log.latest(102).outcome()).isEqualTo("failed");
        Files.writeString(journal, half.substring(40) + entry("101", "none", 2, 2, "no-change"), StandardOpenOption.APPEND);
        log.poll();
        assertThat(log.appliedDowns()).isEqualTo(1);
        assertThat(log.latest(101).outcome()).isEqualTo("no-change");
        assertThat(log.latestChange(101).coresAfter()).isEqualTo(2); // the table keeps showing the last real change
        // rotation: the file starts again, shorter
        Files.writeString(journal, entry("103", "increase", 1, 3, "applied"));
        log.poll();
        assertThat(log.appliedUps()).isEqualTo(2);
        assertThat(log.latest(103).reason()).isEqualTo("why 103");
    }
}
