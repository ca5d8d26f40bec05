package io.lxcautoscale.monitor.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lxcautoscale.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SparseObjectsTest {
    @Test
    void objectsWithoutFieldsAreLeftOutAndTheOthersKeepTheirNestingAndOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SparseObjects s = new SparseObjects();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            s.on(g);
            s.open("a");
            s.open("empty");
            s.close();
            s.open("b");
            s.open("c");
            s.field("n", 1L);
            s.close();
            s.field("x", 2.5);
            s.close();
            s.field("t", "q\"");
            s.close();
            s.open("none");
            s.open("deeper");
            s.close();
            s.close();
            g.writeEndObject();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":{\"b\":{\"c\":{\"n\":1},\"x\":2.5},\"t\":\"q\\\"\"}}");
    }
}
