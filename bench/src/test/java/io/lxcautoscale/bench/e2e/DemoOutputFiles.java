package io.lxcautoscale.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading what the demo's daemons wrote: JSON Lines journals and audit logs, and the simulated containers' configs. */
final class DemoOutputFiles {
    private DemoOutputFiles() {
    }

    static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(Json.mapper().readTree(line));
            }
        }
        return out;
    }

    /** The {@code key: value} lines of a container's config before its first snapshot section. */
    static Map<String, String> conf(Path confs, String vmid) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(confs.resolve(vmid + ".conf"))) {
            if (line.startsWith("[")) {
                break;
            }
            int colon = line.indexOf(": ");
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 2).trim());
            }
        }
        return out;
    }
}
