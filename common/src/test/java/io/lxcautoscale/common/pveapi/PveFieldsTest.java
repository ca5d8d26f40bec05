package io.lxcautoscale.common.pveapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;

/** Proxmox may send numbers as JSON numbers or as numeric strings; both must read the same. */
class PveFieldsTest {
    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void numbersAndNumericStringsReadAlike() throws Exception {
        JsonNode entry = json("{\"vmid\":\"101\",\"maxmem\":2147483648,\"cpu\":\"0.0312\",\"maxcpu\":1.5}");

        assertThat(PveFields.integer("GET x", entry, "vmid", -1)).isEqualTo(101);
        assertThat(PveFields.integer("GET x", entry, "maxmem", -1)).isEqualTo(2147483648L);
        assertThat(PveFields.number("GET x", entry, "cpu", -1)).isEqualTo(0.0312);
        assertThat(PveFields.number("GET x", entry, "maxcpu", -1)).isEqualTo(1.5);
    }

    @Test
    void absentOrNullGivesTheDefault() throws Exception {
        JsonNode entry = json("{\"mem\":null}");

        assertThat(PveFields.integer("GET x", entry, "mem", 7)).isEqualTo(7);
        assertThat(PveFields.number("GET x", entry, "cpu", 0.5)).isEqualTo(0.5);
    }

    @Test
    void nonNumericValueNamesRequestAndField() throws Exception {
        JsonNode entry = json("{\"maxmem\":\"lots\"}");

        assertThatThrownBy(() -> PveFields.integer("GET /cluster/resources", entry, "maxmem", 0))
                .isInstanceOf(PveApiException.class)
                .hasMessage("GET /cluster/resources: field 'maxmem' is not an integer: \"lots\"");
    }

    @Test
    void tagsSplitOnSemicolons() throws Exception {
        assertThat(PveFields.tags(json("{\"tags\":\"prod;web\"}"))).containsExactly("prod", "web");
        assertThat(PveFields.tags(json("{}"))).isEmpty();
    }
}
