package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.core.JacksonException;
import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleRowDecoderTest {
    private final SampleFields fields = new SampleFields();
    private final int cpu = fields.number("cpu_usage_percent");
    private final int oom = fields.number("memory", "events", "oom_kill");
    private final int rates = fields.isObject("rates");
    private final int rx = fields.number("rates", "net_rx_bytes_per_s");
    private final int hostname = fields.text("allocation", "hostname");

    /** What the sink saw, copied (the row is reused). */
    private record Seen(String vmid, Long epochSecond, double cpu, double oom, double rates, double rx, String hostname) {
    }

    private final List<Seen> seen = new ArrayList<>();

    private Seen copy(SampleRow row) {
        return new Seen(row.vmid(), row.hasTime() ? row.epochSecond() : null, row.number(cpu), row.number(oom),
                row.number(rates), row.number(rx), row.text(hostname));
    }

    private SampleRowDecoder decoder(ZoneId zone) {
        return new SampleRowDecoder(fields, zone, row -> seen.add(copy(row)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final String LINE = "{\"101\":{\"timestamp\":\"2026-08-18T13:07:56.123456+00:00\",\"cpu_usage_percent\":12.5,"
            + "\"memory\":{\"used_mb\":300,\"events\":{\"oom_kill\":2,\"high\":1}},\"rates\":{\"net_rx_bytes_per_s\":1234},"
            + "\"allocation\":{\"hostname\":\"web-1\",\"cores\":2},\"unused\":[1,{\"cpu_usage_percent\":99}]},"
            + "\"102\":{\"timestamp\":\"2026-08-18T15:07:56\",\"cpu_usage_percent\":\"n/a\",\"rates\":null},"
            + "\"summary\":{\"cpu_usage_percent\":1,\"host_cpus\":8},"
            + "\"103\":7}";

    @Test
    void fillsTheWantedFieldsOfEachContainerAndSkipsTheRest() throws Exception {
        SampleRowDecoder decoder = decoder(ZoneId.of("Europe/Berlin"));
        byte[] b = bytes("xx" + LINE + "yy");
        decoder.parse(b, 2, b.length - 4);
        assertThat(seen).isEmpty(); // nothing before deliver()
        decoder.deliver();
        double nan = Double.NaN;
        // 13:07:56 UTC on 2026-08-18 = 20683 days × 86400 + 47276; 102's naive 15:07:56 in Berlin (+02:00) is the same instant
        assertThat(seen).containsExactly(
                new Seen("101", 1787058476L, 12.5, 2, 1, 1234, "web-1"),
                new Seen("102", 1787058476L, nan, nan, nan, nan, null),
                new Seen("103", null, nan, nan, nan, nan, null));
    }

    @Test
    void theTreePathGivesTheSameRows() throws Exception {
        SampleRowDecoder decoder = decoder(ZoneId.of("Europe/Berlin"));
        Snapshot snapshot = Snapshot.fromJson(Json.mapper().readTree(LINE));
        snapshot.containers().forEach((vmid, sample) -> seen.add(copy(decoder.fromTree(vmid, sample))));
        List<Seen> fromTree = new ArrayList<>(seen);
        seen.clear();
        byte[] b = bytes(LINE);
        decoder.parse(b, 0, b.length);
        decoder.deliver();
        assertThat(fromTree).isEqualTo(seen);
    }

    @Test
    void aCorruptSnapshotDeliversNoRowEvenIfItsFirstContainersParsed() throws Exception {
        SampleRowDecoder decoder = decoder(ZoneOffset.UTC);
        byte[] torn = bytes(LINE.substring(0, LINE.indexOf("\"summary\"")) + "\"summary\":{");
        assertThatThrownBy(() -> decoder.parse(torn, 0, torn.length)).isInstanceOf(JacksonException.class);
        decoder.deliver();
        byte[] trailing = bytes("{\"101\":{}} {}");
        assertThatThrownBy(() -> decoder.parse(trailing, 0, trailing.length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data after");
        decoder.deliver();
        byte[] array = bytes("[1]");
        assertThatThrownBy(() -> decoder.parse(array, 0, array.length))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a JSON object but array");
        decoder.deliver();
        byte[] duplicate = bytes("{\"101\":{\"timestamp\":\"2026-08-18T13:07:56Z\"},\"101\":{}}");
        assertThatThrownBy(() -> decoder.parse(duplicate, 0, duplicate.length)).isInstanceOf(JacksonException.class);
        decoder.deliver();
        byte[] duplicateField = bytes("{\"101\":{\"memory\":{\"events\":{\"oom_kill\":1,\"oom_kill\":2}}}}");
        assertThatThrownBy(() -> decoder.parse(duplicateField, 0, duplicateField.length))
                .isInstanceOf(JacksonException.class).hasMessageContaining("oom_kill");
        decoder.deliver();
        // the same key in different objects is no duplicate
        byte[] sameKeyElsewhere = bytes("{\"101\":{\"rates\":{\"x\":1},\"memory\":{\"x\":1,\"events\":{\"x\":1}}},\"x\":{}}");
        decoder.parse(sameKeyElsewhere, 0, sameKeyElsewhere.length);
        assertThat(seen).isEmpty();
        decoder.deliver();
        assertThat(seen).extracting(Seen::vmid).containsExactly("101", "x");
        seen.clear();
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnparsableTimestampLeavesTheRowWithoutTimeAndSaysWhy() throws Exception {
        List<String> problems = new ArrayList<>();
        SampleRowDecoder decoder = new SampleRowDecoder(fields, ZoneOffset.UTC, row -> problems.add(row.timestampProblem()));
        byte[] b = bytes("{\"1\":{\"timestamp\":\"2026-02-30T10:00:00Z\"},\"2\":{\"timestamp\":5},\"3\":{}}");
        decoder.parse(b, 0, b.length);
        decoder.deliver();
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("2026-02-30");
        assertThat(problems.get(1)).contains("not a string");
        assertThat(problems.get(2)).contains("no \"timestamp\"");
    }

    @Test
    void plainDecimalsReadExactlyAsDoubleParseDoubleDoes() {
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            int scale = random.nextInt(16);
            long unscaled = (long) (random.nextDouble() * Math.pow(10, 1 + random.nextInt(15)));
            String text = java.math.BigDecimal.valueOf(random.nextBoolean() ? unscaled : -unscaled, scale)
                    .toPlainString();
            double expected = Double.parseDouble(text);
            double actual = SampleRowDecoder.decimal(text.toCharArray(), 0, text.length());
            if (!Double.isNaN(actual)) {
                assertThat(actual).as(text).isEqualTo(expected);
            } else {
                assertThat(text.replace("-", "").replace(".", "").length()).as(text).isGreaterThan(15);
            }
        }
        assertThat(SampleRowDecoder.decimal("1e5".toCharArray(), 0, 3)).isNaN();
        assertThat(SampleRowDecoder.decimal("-0.0".toCharArray(), 0, 4)).isEqualTo(-0.0);
        assertThat(String.format(Locale.ROOT, "%.1f", SampleRowDecoder.decimal("12.25".toCharArray(), 0, 5))).isEqualTo("12.3");
    }
}
