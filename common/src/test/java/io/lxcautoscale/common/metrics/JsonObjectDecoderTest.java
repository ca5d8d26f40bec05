package io.lxcautoscale.common.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Journal-style lines come through as the object written, keys in order, "summary" not set apart. */
class JsonObjectDecoderTest {
    private final List<ObjectNode> seen = new ArrayList<>();
    private final JsonObjectDecoder decoder = new JsonObjectDecoder(seen::add);

    private void parse(String text) throws Exception {
        byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        decoder.parse(b, 2, b.length - 4);
    }

    @Test
    void deliversTheObjectAsWritten() throws Exception {
        parse("{\"timestamp\":\"2026-08-18T13:07:56Z\",\"summary\":1,\"container_id\":\"101\"}");
        assertThat(seen).isEmpty();
        decoder.deliver();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).toString()).isEqualTo("{\"timestamp\":\"2026-08-18T13:07:56Z\",\"summary\":1,\"container_id\":\"101\"}");
    }

    @Test
    void rejectsWhatIsNotOneObject() {
        assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> parse("{\"a\":1} {\"b\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data after");
        assertThatThrownBy(() -> parse("{\"a\":")).isInstanceOf(com.fasterxml.jackson.core.JacksonException.class);
    }
}
