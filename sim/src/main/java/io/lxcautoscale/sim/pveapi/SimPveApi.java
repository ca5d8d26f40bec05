package io.lxcautoscale.sim.pveapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request handling of the simulated Proxmox API, independent of the HTTP transport: token check, routing,
 * privilege checks and the subset of endpoints cluster mode uses, with Proxmox's status codes and messages
 * (docs/reference/proxmox-api.md). The simulated entry node is always online; a request routed to an offline
 * {@code {node}} gets 595 with no body, as Proxmox's proxy answers when it cannot connect to that node.
 */
public final class SimPveApi {
    private static final String PREFIX = "/api2/json";
    private static final Pattern CT_CONFIG = Pattern.compile("/nodes/([^/]+)/lxc/([0-9]+)/config");
    private static final Set<String> PUT_KEYS = Set.of("cores", "memory", "digest");
    private static final String ANY_CONFIG_PRIVILEGE =
            "VM.Config.Disk|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.Options";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SimPveCluster cluster;
    private final SimPveAccess access;

    public SimPveApi(SimPveCluster cluster, SimPveAccess access) {
        this.cluster = cluster;
        this.access = access;
    }

    /**
     * @param path          the URI path, e.g. {@code /api2/json/cluster/resources}
     * @param query         decoded query parameters
     * @param authorization the {@code Authorization} header, or null
     * @param body          decoded body parameters (form or JSON object); query keys override them
     */
    public SimPveResponse handle(String method, String path, Map<String, String> query, String authorization,
                                 Map<String, String> body) {
        if (!Set.of("GET", "POST", "PUT", "DELETE").contains(method)) {
            return SimPveResponse.error(501, "method '" + method + "' not available");
        }
        if (!path.startsWith(PREFIX + "/")) {
            return SimPveResponse.error(501, "no such uri");
        }
        if (authorization == null || !access.accepts(authorization)) {
            return SimPveResponse.empty(401);
        }
        String route = path.substring(PREFIX.length());
        Map<String, String> params = new LinkedHashMap<>(body);
        params.putAll(query);
        params.remove("_dc");
        if (method.equals("GET") && route.equals("/cluster/resources")) {
            return clusterResources(params);
        }
        if (method.equals("GET") && route.equals("/access/permissions")) {
            return permissions();
        }
        Matcher ct = CT_CONFIG.matcher(route);
        if (ct.matches() && (method.equals("GET") || method.equals("PUT"))) {
            String node = ct.group(1);
            int vmid = Integer.parseInt(ct.group(2));
            Optional<SimPveResponse> routing = routeToNode(node);
            if (routing.isPresent()) {
                return routing.get();
            }
            return method.equals("GET") ? readConfig(node, vmid) : updateConfig(node, vmid, params);
        }
        return SimPveResponse.error(501, "Method '" + method + " " + route + "' not implemented");
    }

    private Optional<SimPveResponse> routeToNode(String node) {
        Optional<SimPveNode> target = cluster.node(node);
        if (target.isEmpty()) {
            return Optional.of(SimPveResponse.error(500, "hostname lookup '" + node + "' failed - failed to get address info for: "
                    + node + ": Name or service not known"));
        }
        if (!target.get().online()) {
            return Optional.of(SimPveResponse.empty(595));
        }
        return Optional.empty();
    }

    private SimPveResponse clusterResources(Map<String, String> params) {
        String type = params.getOrDefault("type", "");
        if (!type.isEmpty() && !Set.of("vm", "storage", "node", "sdn").contains(type)) {
            return SimPveResponse.parameterErrors(Map.of("type",
                    "value '" + type + "' does not have a value in the enumeration 'vm, storage, node, sdn'"));
        }
        ArrayNode data = JSON.arrayNode();
        if (type.isEmpty() || type.equals("node")) {
            for (SimPveNode node : cluster.nodes()) {
                ObjectNode entry = data.addObject();
                entry.put("id", "node/" + node.name()).put("type", "node").put("node", node.name())
                        .put("status", node.online() ? "online" : "offline").put("level", "");
                if (access.privileges("/nodes/" + node.name()).contains("Sys.Audit")) {
                    entry.put("maxcpu", node.maxcpu()).put("maxmem", node.maxmemBytes()).put("cgroup-mode", 2);
                    if (node.online()) {
                        entry.put("cpu", 0.0).put("mem", 0L).put("uptime", 86400);
                    }
                }
            }
        }
        if (type.isEmpty() || type.equals("vm")) {
            for (SimPveContainer ct : cluster.containers()) {
                if (!access.privileges("/vms/" + ct.vmid()).contains("VM.Audit")) {
                    continue;
                }
                ObjectNode entry = data.addObject();
                entry.put("id", "lxc/" + ct.vmid()).put("type", "lxc").put("vmid", ct.vmid()).put("node", ct.node())
                        .put("name", ct.hostname()).put("status", ct.status()).put("template", 0)
                        .put("maxcpu", ct.cores()).put("cpu", 0.0)
                        .put("maxmem", ct.memoryMib() * 1048576L).put("mem", 0L);
                ct.lock().ifPresent(l -> entry.put("lock", l));
                ct.hastate().ifPresent(h -> entry.put("hastate", h));
                if (!ct.tags().isEmpty()) {
                    entry.put("tags", String.join(";", ct.tags()));
                }
            }
        }
        return SimPveResponse.ok(data);
    }

    private SimPveResponse permissions() {
        ObjectNode data = JSON.objectNode();
        access.permissionMap().forEach((path, privileges) -> {
            ObjectNode entry = data.putObject(path);
            privileges.forEach(p -> entry.put(p, 1));
        });
        return SimPveResponse.ok(data);
    }

    private Optional<SimPveContainer> ownedBy(String node, int vmid) {
        return cluster.container(vmid).filter(c -> c.node().equals(node));
    }

    private static SimPveResponse noConfig(String node, int vmid) {
        return SimPveResponse.error(500, "Configuration file 'nodes/" + node + "/lxc/" + vmid + ".conf' does not exist");
    }

    private SimPveResponse readConfig(String node, int vmid) {
        String aclPath = "/vms/" + vmid;
        if (!access.privileges(aclPath).contains("VM.Audit")) {
            return SimPveResponse.error(403, "Permission check failed (" + aclPath + ", VM.Audit)");
        }
        Optional<SimPveContainer> found = ownedBy(node, vmid);
        if (found.isEmpty()) {
            return noConfig(node, vmid);
        }
        SimPveContainer ct = found.get();
        ObjectNode data = JSON.objectNode();
        data.put("arch", "amd64").put("cores", ct.cores()).put("digest", ct.digest()).put("hostname", ct.hostname())
                .put("memory", ct.memoryMib()).put("ostype", "debian");
        ct.lock().ifPresent(l -> data.put("lock", l));
        if (!ct.tags().isEmpty()) {
            data.put("tags", String.join(";", ct.tags()));
        }
        return SimPveResponse.ok(data);
    }

    private SimPveResponse updateConfig(String node, int vmid, Map<String, String> params) {
        String aclPath = "/vms/" + vmid;
        Set<String> held = access.privileges(aclPath);
        if (held.stream().noneMatch(p -> ANY_CONFIG_PRIVILEGE.contains(p) && p.startsWith("VM.Config."))) {
            return SimPveResponse.error(403, "Permission check failed (" + aclPath + ", " + ANY_CONFIG_PRIVILEGE + ")");
        }
        Map<String, String> errors = new TreeMap<>();
        for (String key : params.keySet()) {
            if (!PUT_KEYS.contains(key)) {
                errors.put(key, "property is not defined in schema and the schema does not allow additional properties");
            }
        }
        Integer cores = integerParam(params, "cores", 1, 8192, errors);
        Integer memory = integerParam(params, "memory", 16, Integer.MAX_VALUE, errors);
        String digest = params.get("digest");
        if (digest != null && digest.length() > 40) {
            errors.put("digest", "value may only be 40 characters long");
        }
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
        }
        if (cores == null && memory == null) {
            return SimPveResponse.error(500, "no options specified");
        }
        synchronized (cluster) {
            Optional<SimPveContainer> found = ownedBy(node, vmid);
            if (found.isEmpty()) {
                return noConfig(node, vmid);
            }
            SimPveContainer ct = found.get();
            if (ct.lock().isPresent()) {
                return SimPveResponse.error(500, "CT is locked (" + ct.lock().get() + ")");
            }
            if (digest != null && !digest.isEmpty() && !digest.equals(ct.digest())) {
                return SimPveResponse.error(500, "detected modified configuration - file changed by other user? Try again.");
            }
            if (cores != null && !held.contains("VM.Config.CPU")) {
                return SimPveResponse.error(403, "Permission check failed (" + aclPath + ", VM.Config.CPU)");
            }
            if (memory != null && !held.contains("VM.Config.Memory")) {
                return SimPveResponse.error(403, "Permission check failed (" + aclPath + ", VM.Config.Memory)");
            }
            cluster.update(vmid, c -> c.withLimits(cores == null ? c.cores() : cores, memory == null ? c.memoryMib() : memory));
        }
        return SimPveResponse.ok(JSON.nullNode());
    }

    private static Integer integerParam(Map<String, String> params, String key, int min, int max, Map<String, String> errors) {
        String raw = params.get(key);
        if (raw == null) {
            return null;
        }
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            errors.put(key, "type check ('integer') failed - got '" + raw + "'");
            return null;
        }
        if (value < min) {
            errors.put(key, "value must have a minimum value of " + min);
            return null;
        }
        if (value > max) {
            errors.put(key, "value must have a maximum value of " + max);
            return null;
        }
        return value;
    }
}
