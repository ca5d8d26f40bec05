package io.lxcautoscale.api.routes;

import io.lxcautoscale.api.http.RouteDef.FieldDef;
import java.util.List;

/** The documented input fields shared by several routes (for the index page and OpenAPI). */
final class Inputs {
    static final FieldDef VM_ID = new FieldDef("vm_id", List.of("lxc_id", "container_id"), "integer", true,
            "container id, 100-999999999; aliases must carry the same value");
    static final FieldDef SNAPSHOT_NAME = new FieldDef("snapshot_name", List.of(), "string", true,
            "a letter, then letters, digits, '_' or '-'; 2-40 characters");

    private Inputs() {
    }

    static FieldDef integer(String name, String description) {
        return new FieldDef(name, List.of(), "integer", true, description);
    }

    static FieldDef optionalBool(String name, String description) {
        return new FieldDef(name, List.of(), "boolean", false, description);
    }
}
