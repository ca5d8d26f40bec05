package io.lxcautoscale.sim.pveapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request handling of the simulated Proxmox API, independent of the HTTP transport, in Proxmox's order:
 * unknown path or method (501), token check (401), routing to the path's {@code {node}} (unknown node 500, node
 * down 595 {@code No route to host} with no body), privilege check (403 naming path and privilege), parameter
 * check (400 per field), then the endpoint. Endpoints and messages are those of docs/reference/proxmox-api.md.
 */
public final class SimPveApi {
    private static final Pattern API_PATH = Pattern.compile("^/api2/+([a-z][a-z0-9]+)(/.*)?$");
    private static final Pattern CT_PATH = Pattern.compile("/nodes/([^/]+)/lxc/([0-9]+)/(config|status/current|migrate)");
    private static final Pattern TASK_PATH = Pattern.compile("/nodes/([^/]+)/tasks/([^/]+)/status");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final String ANY_CONFIG_PRIVILEGE =
            "VM.Config.Disk|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.Options";
    private static final String NOT_IN_SCHEMA =
            "property is not defined in schema and the schema does not allow additional properties";
    private static final String MISSING = "property is missing and it is not optional";
    private static final long ROOTFS_BYTES = 8L << 30;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SimPveCluster cluster;
    private final SimPveAccess access;

    public SimPveApi(SimPveCluster cluster, SimPveAccess access) {
        this.cluster = cluster;
        this.access = access;
    }

    /** One matched endpoint: its name, the path parameters and the node it is proxied to (if any). */
    private record Route(String endpoint, Map<String, String> pathParams, Optional<String> node) {
    }

    /**
     * @param path          the URI path, e.g. {@code /api2/json/cluster/resources}
     * @param query         decoded query parameters
     * @param authorization the {@code Authorization} header, or null
     * @param body          decoded body parameters (form or JSON object); query keys override them
     */
    public SimPveResponse handle(String method, String path, Map<String, String> query, String authorization,
                                 Map<String, String> body) {
        if (!METHODS.contains(method)) {
            return SimPveResponse.error(501, "method '" + method + "' not available");
        }
        Matcher api = API_PATH.matcher(path);
        if (!api.matches()) {
            return SimPveResponse.error(501, "no such uri");
        }
        if (!api.group(1).equals("json")) {
            return SimPveResponse.error(501, "format '" + api.group(1) + "' is not simulated (only json)");
        }
        String relative = api.group(2) == null ? "/" : api.group(2);
        Optional<Route> route = route(method, relative);
        if (route.isEmpty()) {
            return SimPveResponse.error(501, "Method '" + method + " " + relative + "' not implemented");
        }
        Optional<String> token = SimPveAccess.tokenValue(authorization);
        if (token.isEmpty()) {
            return SimPveResponse.empty(401, "No ticket");
        }
        if (!access.accepts(token.get())) {
            return SimPveResponse.empty(401, "Authentication failed!");
        }
        Map<String, String> params = new LinkedHashMap<>(body);
        params.putAll(query);
        params.remove("_dc");
        Map<String, String> conflicts = new TreeMap<>();
        route.get().pathParams().forEach((key, value) -> {
            String given = params.put(key, value);
            if (given != null && !given.equals(value)) {
                conflicts.put(key, "duplicate parameter (already defined in URI) with conflicting values!");
            }
        });
        if (route.get().node().isPresent()) {
            Optional<SimPveResponse> unreachable = reach(route.get().node().get());
            if (unreachable.isPresent()) {
                return unreachable.get();
            }
        }
        if (params.containsKey("vmid")) {
            integerParam(params, "vmid", 100, 999_999_999, conflicts);
        }
        if (!conflicts.isEmpty()) {
            return SimPveResponse.parameterErrors(conflicts);
        }
        return switch (route.get().endpoint()) {
            case "resources" -> clusterResources(params);
            case "permissions" -> permissions(params);
            case "config GET" -> readConfig(params);
            case "config PUT" -> updateConfig(params);
            case "status/current GET" -> containerStatus(params);
            case "migrate POST" -> migrate(params);
            case "task" -> taskStatus(params);
            case "cluster/status" -> clusterStatus(params);
            case "ha/resources" -> haResources(params);
            case "ha/groups" -> haGroups(params);
            case "ha/rules" -> haRules(params);
            default -> throw new IllegalStateException("unrouted endpoint " + route.get().endpoint());
        };
    }

    private static Optional<Route> route(String method, String path) {
        if (method.equals("GET") && path.equals("/cluster/resources")) {
            return Optional.of(new Route("resources", Map.of(), Optional.empty()));
        }
        if (method.equals("GET") && path.equals("/access/permissions")) {
            return Optional.of(new Route("permissions", Map.of(), Optional.empty()));
        }
        if (method.equals("GET") && (path.equals("/cluster/ha/resources") || path.equals("/cluster/ha/groups"))) {
            return Optional.of(new Route(path.substring("/cluster/".length()), Map.of(), Optional.empty()));
        }
        if (method.equals("GET") && path.equals("/cluster/status")) {
            return Optional.of(new Route("cluster/status", Map.of(), Optional.empty()));
        }
        if (method.equals("GET") && path.equals("/cluster/ha/rules")) {
            return Optional.of(new Route("ha/rules", Map.of(), Optional.empty()));
        }
        Matcher ct = CT_PATH.matcher(path);
        if (ct.matches()) {
            String endpoint = ct.group(3) + " " + method;
            if (!Set.of("config GET", "config PUT", "status/current GET", "migrate POST").contains(endpoint)) {
                return Optional.empty();
            }
            return Optional.of(new Route(endpoint, Map.of("node", ct.group(1), "vmid", ct.group(2)),
                    Optional.of(ct.group(1))));
        }
        Matcher task = TASK_PATH.matcher(path);
        if (task.matches() && method.equals("GET")) {
            return Optional.of(new Route("task", Map.of("node", task.group(1), "upid", task.group(2)),
                    Optional.of(task.group(1))));
        }
        return Optional.empty();
    }

    /** Proxmox's proxy to {@code {node}}: unknown name → address lookup error; node down → 595, no body; injected 595/596. */
    private Optional<SimPveResponse> reach(String node) {
        if (cluster.node(node).isEmpty()) {
            return Optional.of(SimPveResponse.error(500, "hostname lookup '" + node + "' failed - failed to get address info for: "
                    + node + ": Name or service not known"));
        }
        return cluster.proxyFailure(node);
    }

    private static SimPveResponse permissionDenied(String path, String privilege) {
        return SimPveResponse.error(403, "Permission check failed (" + path + ", " + privilege + ")");
    }

    /** 400 for every parameter not in {@code allowed}; empty when all are known. */
    private static Map<String, String> unknownParams(Map<String, String> params, Set<String> allowed) {
        Map<String, String> errors = new TreeMap<>();
        params.keySet().stream().filter(k -> !allowed.contains(k)).forEach(k -> errors.put(k, NOT_IN_SCHEMA));
        return errors;
    }

    private SimPveResponse clusterResources(Map<String, String> params) {
        Map<String, String> errors = unknownParams(params, Set.of("type"));
        String type = params.getOrDefault("type", "");
        if (!type.isEmpty() && !Set.of("vm", "storage", "node", "sdn").contains(type)) {
            errors.put("type", "value '" + type + "' does not have a value in the enumeration 'vm, storage, node, sdn'");
        }
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
        }
        ArrayNode data = JSON.arrayNode();
        if (type.isEmpty() || type.equals("vm")) {
            // Proxmox emits guests in string order of their ids (1000 before 101).
            List<SimPveContainer> guests = cluster.containers();
            guests.sort(Comparator.comparing(c -> Integer.toString(c.vmid())));
            for (SimPveContainer ct : guests) {
                if (access.privileges("/vms/" + ct.vmid()).contains("VM.Audit")) {
                    guestEntry(data.addObject(), ct);
                }
            }
        }
        if (type.isEmpty() || type.equals("node")) {
            for (SimPveNode node : cluster.nodes()) {
                nodeEntry(data.addObject(), node);
            }
        }
        if (type.isEmpty() || type.equals("storage")) {
            for (SimPveNode node : cluster.nodes()) {
                if (access.privileges("/storage/local").contains("Datastore.Audit")) {
                    data.addObject().put("id", "storage/" + node.name() + "/local").put("type", "storage")
                            .put("storage", "local").put("node", node.name()).put("plugintype", "dir")
                            .put("status", node.online() ? "available" : "unknown").put("shared", 0)
                            .put("content", "rootdir,vztmpl").put("disk", 0L).put("maxdisk", 100L << 30);
                }
            }
        }
        return SimPveResponse.ok(data);
    }

    /** Run state, limits and usage as last reported; no report yet: status {@code unknown}, no name, no figures. */
    private void guestEntry(ObjectNode entry, SimPveContainer ct) {
        entry.put("id", "lxc/" + ct.vmid()).put("type", "lxc").put("vmid", ct.vmid()).put("node", ct.node());
        Optional<SimPveReport> report = cluster.report(ct.vmid());
        if (report.isEmpty()) {
            entry.put("status", "unknown");
        } else {
            SimPveReport r = report.get();
            boolean running = r.running();
            entry.put("name", ct.hostname()).put("status", r.status()).put("uptime", running ? 3600 : 0)
                    .put("template", 0).put("maxcpu", r.cores()).put("cpu", r.usage().cpu())
                    .put("maxmem", r.memoryMib() * 1048576L).put("mem", r.usage().memBytes())
                    .put("maxdisk", ROOTFS_BYTES).put("disk", running ? ROOTFS_BYTES / 8 : 0L)
                    .put("netin", 0L).put("netout", 0L).put("diskread", 0L).put("diskwrite", 0L).put("memhost", 0);
        }
        ct.lock().ifPresent(l -> entry.put("lock", l));
        if (!ct.tags().isEmpty()) {
            entry.put("tags", String.join(";", ct.tags()));
        }
        ct.hastate().ifPresent(h -> entry.put("hastate", h));
    }

    /** Node statistics need {@code Sys.Audit} on the node; usage only while online (sum of its containers' reports). */
    private void nodeEntry(ObjectNode entry, SimPveNode node) {
        entry.put("id", "node/" + node.name()).put("type", "node").put("node", node.name())
                .put("status", node.online() ? "online" : "offline").put("level", "");
        if (access.privileges("/nodes/" + node.name()).contains("Sys.Audit")) {
            entry.put("maxcpu", node.maxcpu()).put("maxmem", node.maxmemBytes()).put("maxdisk", 100L << 30);
            if (node.online()) {
                double busyCpus = 0;
                long mem = 0;
                for (SimPveContainer ct : cluster.containers()) {
                    Optional<SimPveReport> report = cluster.report(ct.vmid());
                    if (ct.node().equals(node.name()) && report.isPresent()) {
                        busyCpus += report.get().usage().cpu() * report.get().cores();
                        mem += report.get().usage().memBytes();
                    }
                }
                entry.put("uptime", 86400).put("cpu", busyCpus / node.maxcpu()).put("mem", mem).put("disk", 10L << 30);
            }
            entry.put("cgroup-mode", 2);
        }
        node.hastate().ifPresent(h -> entry.put("hastate", h));
    }

    /** A cluster-wide read ({@code /cluster/status}, {@code /cluster/ha/*}): bad parameters first, then Sys.Audit on /. */
    private Optional<SimPveResponse> refusedClusterRead(Map<String, String> errors) {
        if (!errors.isEmpty()) {
            return Optional.of(SimPveResponse.parameterErrors(errors));
        }
        if (!access.privileges("/").contains("Sys.Audit")) {
            return Optional.of(permissionDenied("/", "Sys.Audit"));
        }
        return Optional.empty();
    }

    /**
     * {@code GET /cluster/status}: the cluster entry (quorate while more than half the nodes are online) and one entry
     * per node; the first node added is the one answering ({@code local: 1}), node ids and addresses in the order added
     * ({@code 10.0.0.11}, {@code .12}, ...). Needs Sys.Audit on /.
     */
    private SimPveResponse clusterStatus(Map<String, String> params) {
        Map<String, String> errors = unknownParams(params, Set.of());
        Optional<SimPveResponse> refused = refusedClusterRead(errors);
        if (refused.isPresent()) {
            return refused.get();
        }
        List<SimPveNode> nodes = cluster.nodes();
        long online = nodes.stream().filter(SimPveNode::online).count();
        ArrayNode data = JSON.arrayNode();
        data.addObject().put("type", "cluster").put("id", "cluster").put("name", "sim").put("nodes", nodes.size())
                .put("version", 1).put("quorate", online * 2 > nodes.size() ? 1 : 0);
        for (int i = 0; i < nodes.size(); i++) {
            SimPveNode n = nodes.get(i);
            data.addObject().put("type", "node").put("id", "node/" + n.name()).put("name", n.name()).put("nodeid", i + 1)
                    .put("ip", "10.0.0." + (11 + i)).put("online", n.online() ? 1 : 0).put("local", i == 0 ? 1 : 0).put("level", "");
        }
        return SimPveResponse.ok(data);
    }

    /** {@code GET /cluster/ha/resources}: every key written in resources.cfg, nothing filled in; needs Sys.Audit on /. */
    private SimPveResponse haResources(Map<String, String> params) {
        Map<String, String> errors = unknownParams(params, Set.of("type"));
        String type = params.getOrDefault("type", "");
        if (!type.isEmpty() && !Set.of("ct", "vm").contains(type)) {
            errors.put("type", "value '" + type + "' does not have a value in the enumeration 'ct, vm'");
        }
        Optional<SimPveResponse> refused = refusedClusterRead(errors);
        if (refused.isPresent()) {
            return refused.get();
        }
        ArrayNode data = JSON.arrayNode();
        for (SimPveHa.Resource r : cluster.ha().resources()) {
            String kind = r.sid().substring(0, r.sid().indexOf(':'));
            if (!type.isEmpty() && !type.equals(kind)) {
                continue;
            }
            ObjectNode e = data.addObject().put("sid", r.sid()).put("type", kind).put("digest", "0f1e2d3c4b5a");
            r.group().ifPresent(g -> e.put("group", g));
            r.failback().ifPresent(f -> e.put("failback", f ? 1 : 0));
        }
        return SimPveResponse.ok(data);
    }

    /** {@code GET /cluster/ha/groups}: PVE 8's groups; on PVE 9 (groups migrated to rules) a 500. */
    private SimPveResponse haGroups(Map<String, String> params) {
        Map<String, String> errors = unknownParams(params, Set.of());
        Optional<SimPveResponse> refused = refusedClusterRead(errors);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (cluster.ha().rulesRelease()) {
            return SimPveResponse.error(500, "cannot index groups: ha groups have been migrated to rules");
        }
        ArrayNode data = JSON.arrayNode();
        for (SimPveHa.Group g : cluster.ha().groups()) {
            ObjectNode e = data.addObject().put("group", g.name()).put("type", "group").put("nodes", g.nodes()).put("digest", "1a2b3c4d5e6f");
            if (g.restricted()) {
                e.put("restricted", 1);
            }
            if (g.nofailback()) {
                e.put("nofailback", 1);
            }
        }
        return SimPveResponse.ok(data);
    }

    /** {@code GET /cluster/ha/rules}: PVE 9's rules (filtered by {@code type} and {@code resource}); PVE 8 has no such call. */
    private SimPveResponse haRules(Map<String, String> params) {
        if (!cluster.ha().rulesRelease()) {
            return SimPveResponse.error(501, "Method 'GET /cluster/ha/rules' not implemented");
        }
        Map<String, String> errors = unknownParams(params, Set.of("type", "resource"));
        String type = params.getOrDefault("type", "");
        if (!type.isEmpty() && !Set.of("node-affinity", "resource-affinity").contains(type)) {
            errors.put("type", "value '" + type + "' does not have a value in the enumeration 'node-affinity, resource-affinity'");
        }
        Optional<SimPveResponse> refused = refusedClusterRead(errors);
        if (refused.isPresent()) {
            return refused.get();
        }
        String resource = params.get("resource");
        ArrayNode data = JSON.arrayNode();
        int order = 0;
        for (SimPveHa.Rule r : cluster.ha().rules()) {
            order++;
            if ((!type.isEmpty() && !type.equals(r.type()))
                    || (resource != null && !List.of(r.resources().split(",")).contains(resource))) {
                continue;
            }
            ObjectNode e = data.addObject().put("rule", r.name()).put("type", r.type()).put("resources", r.resources())
                    .put("order", order).put("digest", "6f5e4d3c2b1a");
            if (r.type().equals("node-affinity")) {
                e.put("nodes", r.nodes());
                if (r.strict()) {
                    e.put("strict", 1);
                }
            }
            if (r.disabled()) {
                e.put("disable", 1);
            }
        }
        return SimPveResponse.ok(data);
    }

    private SimPveResponse permissions(Map<String, String> params) {
        Map<String, String> errors = unknownParams(params, Set.of("path", "userid"));
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
        }
        String userid = params.get("userid");
        if (userid != null && !userid.equals(access.tokenId())) {
            if (!access.privileges("/access").contains("Sys.Audit")) {
                return permissionDenied("/access", "Sys.Audit");
            }
            return SimPveResponse.ok(JSON.objectNode());
        }
        ObjectNode data = JSON.objectNode();
        String only = params.get("path");
        if (only != null) {
            ObjectNode entry = data.putObject(only);
            access.privileges(only).stream().sorted().forEach(p -> entry.put(p, 1));
            if (entry.isEmpty()) {
                data.remove(only);
            }
            return SimPveResponse.ok(data);
        }
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

    /**
     * A read of one container, after Proxmox's checks in its order: {@code VM.Audit} on {@code /vms/<vmid>}, the
     * parameters, the owner node; {@code answer} builds the reply from the container.
     */
    private SimPveResponse readContainer(Map<String, String> params, Set<String> allowed,
                                         Function<SimPveContainer, SimPveResponse> answer) {
        String node = params.get("node");
        int vmid = Integer.parseInt(params.get("vmid"));
        if (!access.privileges("/vms/" + vmid).contains("VM.Audit")) {
            return permissionDenied("/vms/" + vmid, "VM.Audit");
        }
        Map<String, String> errors = unknownParams(params, allowed);
        if (allowed.contains("current")) {
            booleanParam(params, "current", errors);
        }
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
        }
        return ownedBy(node, vmid).map(answer).orElseGet(() -> noConfig(node, vmid));
    }

    private SimPveResponse readConfig(Map<String, String> params) {
        return readContainer(params, Set.of("node", "vmid", "current"), this::config);
    }

    private SimPveResponse config(SimPveContainer ct) {
        ObjectNode data = JSON.objectNode();
        data.put("arch", "amd64").put("cores", ct.cores()).put("digest", ct.digest()).put("hostname", ct.hostname());
        ct.lock().ifPresent(l -> data.put("lock", l));
        data.put("memory", ct.memoryMib()).put("ostype", "debian").put("rootfs", ct.rootfs()).put("swap", ct.swapMib());
        if (!ct.tags().isEmpty()) {
            data.put("tags", String.join(";", ct.tags()));
        }
        data.put("unprivileged", 1);
        return SimPveResponse.ok(data);
    }

    private SimPveResponse updateConfig(Map<String, String> params) {
        String node = params.get("node");
        int vmid = Integer.parseInt(params.get("vmid"));
        String aclPath = "/vms/" + vmid;
        Set<String> held = access.privileges(aclPath);
        if (Set.of(ANY_CONFIG_PRIVILEGE.split("\\|")).stream().noneMatch(held::contains)) {
            return permissionDenied(aclPath, ANY_CONFIG_PRIVILEGE);
        }
        Map<String, String> errors = unknownParams(params, Set.of("node", "vmid", "cores", "memory", "swap", "digest"));
        Integer cores = integerParam(params, "cores", 1, 8192, errors);
        Integer memory = integerParam(params, "memory", 16, Integer.MAX_VALUE, errors);
        Integer swap = integerParam(params, "swap", 0, Integer.MAX_VALUE, errors);
        String digest = params.get("digest");
        if (digest != null && digest.length() > 40) {
            errors.put("digest", "value may only be 40 characters long");
        }
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
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
                return permissionDenied(aclPath, "VM.Config.CPU");
            }
            if ((memory != null || swap != null) && !held.contains("VM.Config.Memory")) {
                return permissionDenied(aclPath, "VM.Config.Memory");
            }
            if (cores == null && memory == null && swap == null) {
                return SimPveResponse.error(500, "no options specified");
            }
            if (ct.running()) {
                Map<String, String> hotplug = new TreeMap<>();
                Map<String, Integer> changed = new TreeMap<>();
                changed.put("cores", cores);
                changed.put("memory", memory);
                changed.put("swap", swap);
                changed.forEach((option, value) -> {
                    if (value != null) {
                        cluster.hotplugFailure(vmid, option)
                                .ifPresent(r -> hotplug.put(option, "unable to hotplug " + option + ": " + r));
                    }
                });
                if (!hotplug.isEmpty()) {
                    return SimPveResponse.parameterErrors(hotplug);
                }
            }
            cluster.update(vmid, c -> c.withLimits(cores == null ? c.cores() : cores, memory == null ? c.memoryMib() : memory)
                    .withSwap(swap == null ? c.swapMib() : swap));
        }
        return SimPveResponse.ok(JSON.nullNode());
    }

    private SimPveResponse containerStatus(Map<String, String> params) {
        return readContainer(params, Set.of("node", "vmid"), this::status);
    }

    private SimPveResponse status(SimPveContainer ct) {
        int vmid = ct.vmid();
        SimPveUsage used = cluster.usage(vmid);
        boolean running = ct.running();
        ObjectNode data = JSON.objectNode();
        data.put("vmid", vmid).put("type", "lxc").put("status", ct.status()).put("name", ct.hostname());
        if (running) {
            data.put("pid", 100000 + vmid);
        }
        data.put("uptime", running ? 3600 : 0).put("cpus", ct.cores()).put("cpu", used.cpu())
                .put("mem", used.memBytes()).put("maxmem", ct.memoryMib() * 1048576L)
                .put("swap", 0L).put("maxswap", ct.swapMib() * 1048576L)
                .put("disk", running ? ROOTFS_BYTES / 8 : 0L).put("maxdisk", ROOTFS_BYTES)
                .put("netin", 0L).put("netout", 0L).put("diskread", 0L).put("diskwrite", 0L);
        ct.lock().ifPresent(l -> data.put("lock", l));
        if (!ct.tags().isEmpty()) {
            data.put("tags", String.join(";", ct.tags()));
        }
        if (running) {
            for (String resource : List.of("cpu", "io", "memory")) {
                data.put("pressure" + resource + "some", "0.00").put("pressure" + resource + "full", "0.00");
            }
        }
        ObjectNode ha = data.putObject("ha");
        ha.put("managed", ct.hastate().isPresent() ? 1 : 0);
        ct.hastate().ifPresent(h -> ha.put("state", h));
        return SimPveResponse.ok(data);
    }

    private SimPveResponse migrate(Map<String, String> params) {
        String node = params.get("node");
        int vmid = Integer.parseInt(params.get("vmid"));
        if (!access.privileges("/vms/" + vmid).contains("VM.Migrate")) {
            return permissionDenied("/vms/" + vmid, "VM.Migrate");
        }
        Map<String, String> errors = unknownParams(params,
                Set.of("node", "vmid", "target", "restart", "online", "timeout", "bwlimit", "target-storage"));
        boolean restart = booleanParam(params, "restart", errors);
        boolean online = booleanParam(params, "online", errors);
        integerParam(params, "timeout", 0, Integer.MAX_VALUE, errors);
        String target = params.get("target");
        if (target == null) {
            errors.put("target", MISSING);
        } else if (target.equals(node)) {
            errors.put("target", "target is local node.");
        }
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
        }
        synchronized (cluster) {
            if (cluster.node(target).isEmpty()) {
                return SimPveResponse.error(500, "no such cluster node '" + target + "'");
            }
            Optional<SimPveContainer> found = ownedBy(node, vmid);
            if (found.isEmpty()) {
                return noConfig(node, vmid);
            }
            if (found.get().running() && !restart && !online) {
                return SimPveResponse.error(500, "can't migrate running container without --online or --restart");
            }
            SimPveTask task = cluster.startMigration(vmid, target, online && !restart, access.tokenId());
            return SimPveResponse.ok(JSON.textNode(task.upid()));
        }
    }

    /** A token sees the tasks it started; the path's node must be the task's node (task logs are node-local). */
    private SimPveResponse taskStatus(Map<String, String> params) {
        Map<String, String> errors = unknownParams(params, Set.of("node", "upid"));
        if (!errors.isEmpty()) {
            return SimPveResponse.parameterErrors(errors);
        }
        Optional<SimPveTask> found = cluster.task(params.get("upid")).filter(t -> t.node().equals(params.get("node")));
        if (found.isEmpty()) {
            return SimPveResponse.parameterErrors(Map.of("upid", "no such task"));
        }
        SimPveTask task = found.get();
        ObjectNode data = JSON.objectNode();
        data.put("upid", task.upid()).put("node", task.node()).put("pid", task.pid()).put("pstart", task.pstart())
                .put("starttime", task.starttime()).put("type", task.type()).put("id", task.id()).put("user", task.user());
        task.tokenid().ifPresent(t -> data.put("tokenid", t));
        data.put("status", task.status());
        task.exitstatus().ifPresent(e -> data.put("exitstatus", e));
        return SimPveResponse.ok(data);
    }

    /** Proxmox booleans are {@code 0} or {@code 1} only; absent is false. */
    private static boolean booleanParam(Map<String, String> params, String key, Map<String, String> errors) {
        String raw = params.get(key);
        if (raw == null || raw.equals("0")) {
            return false;
        }
        if (raw.equals("1")) {
            return true;
        }
        errors.put(key, "type check ('boolean') failed - got '" + raw + "'");
        return false;
    }

    private static Integer integerParam(Map<String, String> params, String key, int min, int max, Map<String, String> errors) {
        String raw = params.get(key);
        if (raw == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(raw.strip());
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
        return (int) value;
    }
}
