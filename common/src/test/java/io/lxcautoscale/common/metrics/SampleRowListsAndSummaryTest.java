package io.lxcautoscale.common.metrics;

import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The string lists, the timestamp's own text and the summary a {@link SampleRowDecoder} can hand on besides numbers. */
class SampleRowListsAndSummaryTest {
    private final SampleFields fields = new SampleFields();
    private final int tags = fields.texts("allocation", "tags");
    private final int at = fields.timestampText();
    private final int cores = fields.number("allocation", "cores");

    private record Seen(String vmid, String at, List<String> tags, double cores) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final List<String> summaries = new ArrayList<>();

    private Seen copy(SampleRow row) {
        return new Seen(row.vmid(), row.text(at), row.texts(tags), row.number(cores));
    }

    private SampleRowDecoder decoder() {
        return new SampleRowDecoder(fields, ZoneOffset.UTC, row -> seen.add(copy(row)), s -> summaries.add(s.toString()));
    }

    private static final String LINE = "{\"101\":{\"timestamp\":\"2026-08-18T13:07:56.123456+00:00\","
            + "\"allocation\":{\"cores\":2,\"tags\":[\"web\",7,\"a-much-longer-tag-than-sixty-four-characters-to-make-the-buffer-grow-once\",null,[\"x\"],\"\"]}},"
            + "\"summary\":{\"hostname\":\"pve1\",\"host_cpus\":8},"
            + "\"102\":{\"timestamp\":\"2026-08-18T13:08:06Z\",\"allocation\":{\"tags\":\"web\"}},"
            + "\"103\":{\"timestamp\":5,\"allocation\":{\"tags\":[]}}}";

    private static final List<Seen> EXPECTED = List.of(
            new Seen("101", "2026-08-18T13:07:56.123456+00:00",
                    List.of("web", "a-much-longer-tag-than-sixty-four-characters-to-make-the-buffer-grow-once", ""), 2),
            new Seen("102", "2026-08-18T13:08:06Z", null, Double.NaN),
            new Seen("103", null, List.of(), Double.NaN));

    @Test
    void streamingKeepsStringElementsTheTimestampTextAndHandsOnTheSummaryAfterTheRows() throws Exception {
        SampleRowDecoder decoder = decoder();
        byte[] b = LINE.getBytes(StandardCharsets.UTF_8);
        decoder.parse(b, 0, b.length);
        assertThat(summaries).isEmpty();
        decoder.deliver();
        assertThat(seen).isEqualTo(EXPECTED);
        assertThat(summaries).containsExactly("{\"hostname\":\"pve1\",\"host_cpus\":8}");
    }

    @Test
    void theTreePathGivesTheSameRows() throws Exception {
        SampleRowDecoder decoder = decoder();
        Snapshot.fromJson(Json.mapper().readTree(LINE)).containers()
                .forEach((vmid, sample) -> seen.add(copy(decoder.fromTree(vmid, sample))));
        assertThat(seen).isEqualTo(EXPECTED);
    }

    @Test
    void textsEqualComparesWithoutBuildingStrings() throws Exception {
        List<Boolean> equal = new ArrayList<>();
        SampleRowDecoder decoder = new SampleRowDecoder(fields, ZoneOffset.UTC, row -> {
            equal.add(row.textsEqual(tags, List.of("a", "bc")));
            equal.add(row.textsEqual(tags, List.of("ab", "c")));
            equal.add(row.textsEqual(tags, List.of("a")));
        });
        byte[] b = "{\"1\":{\"timestamp\":\"2026-08-18T13:07:56Z\",\"allocation\":{\"tags\":[\"a\",\"bc\"]}}}".getBytes(StandardCharsets.UTF_8);
        decoder.parse(b, 0, b.length);
        decoder.deliver();
        assertThat(equal).containsExactly(true, false, false);
    }

    @Test
    void aCorruptSnapshotDeliversNeitherRowsNorSummary() throws Exception {
        SampleRowDecoder decoder = decoder();
        byte[] b = "{\"summary\":{\"host_cpus\":8},\"1\":{\"timestamp\":\"2026-08-18T13:07:56Z\",\"allocation\":{\"tags\":[\"a\"".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> decoder.parse(b, 0, b.length)).isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
        decoder.deliver();
        assertThat(seen).isEmpty();
        assertThat(summaries).isEmpty();
    }

    @Test
    void timestampIsNotAPathAndAsksForItsTextOnce() {
        assertThat(fields.timestampText()).isEqualTo(at);
        assertThatThrownBy(() -> fields.text("timestamp")).isInstanceOf(IllegalArgumentException.class);
    }
}
