package io.lxcautoscale.common.pveapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A client of the Proxmox VE REST API ({@code https://<host>:8006/api2/json}) for the calls cluster mode needs,
 * authenticated by an API token and with TLS always verified ({@link PveTlsTrust}). Every failure is a
 * {@link PveApiException} subclass naming the request. Thread-safe.
 */
public final class PveApiClient {
    /** The port every Proxmox node's API proxy listens on. */
    public static final int DEFAULT_PORT = 8006;
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]*");

    private final URI base;
    private final PveApiToken token;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param host           API host name or address (any node of the cluster)
     * @param port           usually {@link #DEFAULT_PORT}
     * @param requestTimeout whole-request limit; Proxmox itself waits up to 30 s for a node it proxies to
     */
    public PveApiClient(String host, int port, PveApiToken token, PveTlsTrust trust, Duration connectTimeout,
                        Duration requestTimeout) {
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.base = URI.create("https://" + hostPart + ":" + port + "/api2/json");
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trust.sslContext())
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The API base URI, {@code https://<host>:<port>/api2/json}. */
    public URI base() {
        return base;
    }

    /** How many HTTP requests this client has sent so far. */
    public long requestCount() {
        return requests.get();
    }

    /**
     * Every node and guest (containers and VMs) of the cluster from one {@code GET /cluster/resources}: the one call
     * per cycle cluster mode needs. Storage, pool, SDN and network entries are dropped.
     */
    public PveClusterResources clusterResources() {
        String request = "GET /cluster/resources";
        JsonNode data = send(request, "GET", "/cluster/resources", null, Optional.empty());
        List<PveNode> nodes = new ArrayList<>();
        List<PveGuest> guests = new ArrayList<>();
        for (JsonNode entry : array(request, data)) {
            String type = PveFields.text(entry, "type", "");
            if (type.equals("node")) {
                nodes.add(node(request, entry));
            } else if (type.equals("lxc") || type.equals("qemu")) {
                guests.add(guest(request, entry));
            }
        }
        return new PveClusterResources(nodes, guests);
    }

    /** Every guest (containers and VMs) of the cluster, from one {@code GET /cluster/resources?type=vm}. */
    public List<PveGuest> clusterGuests() {
        String request = "GET /cluster/resources?type=vm";
        JsonNode data = send(request, "GET", "/cluster/resources?type=vm", null, Optional.empty());
        List<PveGuest> guests = new ArrayList<>();
        for (JsonNode entry : array(request, data)) {
            String type = PveFields.text(entry, "type", "");
            if (type.equals("lxc") || type.equals("qemu")) {
                guests.add(guest(request, entry));
            }
        }
        return guests;
    }

    /** Every node of the cluster, from one {@code GET /cluster/resources?type=node}. */
    public List<PveNode> clusterNodes() {
        String request = "GET /cluster/resources?type=node";
        JsonNode data = send(request, "GET", "/cluster/resources?type=node", null, Optional.empty());
        List<PveNode> nodes = new ArrayList<>();
        for (JsonNode entry : array(request, data)) {
            if (PveFields.text(entry, "type", "").equals("node")) {
                nodes.add(node(request, entry));
            }
        }
        return nodes;
    }

    private static PveGuest guest(String request, JsonNode entry) {
        return new PveGuest((int) PveFields.integer(request, entry, "vmid", -1), PveFields.text(entry, "type", ""),
                PveFields.text(entry, "node", ""), PveFields.text(entry, "status", "unknown"),
                PveFields.optionalText(entry, "name"), PveFields.optionalText(entry, "lock"),
                PveFields.optionalText(entry, "hastate"), PveFields.tags(entry),
                PveFields.number(request, entry, "maxcpu", 0), PveFields.number(request, entry, "cpu", 0),
                PveFields.integer(request, entry, "maxmem", 0), PveFields.integer(request, entry, "mem", 0));
    }

    private static PveNode node(String request, JsonNode entry) {
        return new PveNode(PveFields.text(entry, "node", ""), PveFields.text(entry, "status", "unknown"),
                (int) PveFields.integer(request, entry, "maxcpu", 0), PveFields.number(request, entry, "cpu", 0),
                PveFields.integer(request, entry, "maxmem", 0), PveFields.integer(request, entry, "mem", 0),
                PveFields.optionalText(entry, "hastate"));
    }

    /** {@code GET /nodes/{node}/lxc/{vmid}/config}: limits, lock, tags and the digest to send back with a change. */
    public PveContainerConfig containerConfig(String node, int vmid) {
        String path = containerPath(node, vmid) + "/config";
        String request = "GET " + path;
        JsonNode data = object(request, send(request, "GET", path, null, Optional.of(node)));
        String digest = PveFields.text(data, "digest", "");
        if (digest.isEmpty()) {
            throw new PveApiException(200, request + ": config has no digest");
        }
        OptionalInt cores = data.hasNonNull("cores")
                ? OptionalInt.of((int) PveFields.integer(request, data, "cores", 0)) : OptionalInt.empty();
        int memory = (int) PveFields.integer(request, data, "memory", PveContainerConfig.DEFAULT_MEMORY_MIB);
        return new PveContainerConfig(vmid, node, cores, memory, digest, PveFields.optionalText(data, "lock"),
                PveFields.tags(data));
    }

    /**
     * {@code GET /nodes/{node}/lxc/{vmid}/config} as text: every key that is set, with {@code digest}, numbers and flags
     * written as Proxmox writes them in the config file ({@code cores: 2}, {@code unprivileged: 1}).
     */
    public Map<String, String> containerConfigValues(String node, int vmid) {
        String path = containerPath(node, vmid) + "/config";
        String request = "GET " + path;
        JsonNode data = object(request, send(request, "GET", path, null, Optional.of(node)));
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull() && !e.getValue().isContainerNode()) {
                values.put(e.getKey(), e.getValue().asText());
            }
        }
        if (values.getOrDefault("digest", "").isEmpty()) {
            throw new PveApiException(200, request + ": config has no digest");
        }
        return values;
    }

    /**
     * {@code PUT /nodes/{node}/lxc/{vmid}/config} with {@code options} (e.g. {@code swap=512}) and the digest read
     * before; fails like {@link #setLimits}.
     */
    public void setConfigOptions(String node, int vmid, Map<String, String> options, String digest) {
        if (options.isEmpty() || options.containsKey("digest")) {
            throw new IllegalArgumentException("setConfigOptions needs options other than digest");
        }
        Map<String, String> form = new LinkedHashMap<>(options);
        form.put("digest", digest);
        String path = containerPath(node, vmid) + "/config";
        send("PUT " + path + " " + form.keySet(), "PUT", path, form, Optional.of(node));
    }

    /**
     * {@code PUT /nodes/{node}/lxc/{vmid}/config} with {@code cores} and/or {@code memory} (MiB) and the digest read
     * before: Proxmox refuses the change if the config was modified meanwhile ({@link PveDigestConflictException})
     * or is locked ({@link PveLockedException}). Applied immediately on a running container (cores reach its
     * cpuset on the node's next status cycle, within about 10 s).
     */
    public void setLimits(String node, int vmid, OptionalInt cores, OptionalInt memoryMib, String digest) {
        if (cores.isEmpty() && memoryMib.isEmpty()) {
            throw new IllegalArgumentException("setLimits needs cores or memory");
        }
        Map<String, String> options = new LinkedHashMap<>();
        cores.ifPresent(c -> options.put("cores", Integer.toString(c)));
        memoryMib.ifPresent(m -> options.put("memory", Integer.toString(m)));
        setConfigOptions(node, vmid, options, digest);
    }

    /** {@code GET /nodes/{node}/lxc/{vmid}/status/current}: run state and limits, live from the owner node. */
    public PveContainerStatus containerStatus(String node, int vmid) {
        String path = containerPath(node, vmid) + "/status/current";
        String request = "GET " + path;
        JsonNode data = object(request, send(request, "GET", path, null, Optional.of(node)));
        JsonNode ha = data.get("ha");
        Optional<String> haState = ha != null && PveFields.integer(request, ha, "managed", 0) == 1
                ? PveFields.optionalText(ha, "state") : Optional.empty();
        return new PveContainerStatus(vmid, PveFields.text(data, "status", "unknown"),
                PveFields.number(request, data, "cpus", 0), PveFields.integer(request, data, "mem", 0),
                PveFields.integer(request, data, "maxmem", 0), PveFields.integer(request, data, "maxswap", 0),
                PveFields.optionalText(data, "lock"), haState);
    }

    /**
     * {@code POST /nodes/{node}/lxc/{vmid}/migrate} in restart mode ({@code restart=1}: the container is shut down,
     * moved and started on {@code target}; a stopped one is just moved). Returns the task's UPID, to follow with
     * {@link #taskStatus} on {@code node}.
     */
    public String migrateWithRestart(String node, int vmid, String target) {
        if (!NODE_NAME.matcher(target).matches()) {
            throw new IllegalArgumentException("invalid target node name '" + target + "'");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("target", target);
        form.put("restart", "1");
        String path = containerPath(node, vmid) + "/migrate";
        JsonNode data = send("POST " + path + " target=" + target, "POST", path, form, Optional.of(node));
        if (data == null || !data.isTextual() || !data.asText().startsWith("UPID:")) {
            throw new PveApiException(200, "POST " + path + ": expected a task id (UPID), got " + data);
        }
        return data.asText();
    }

    /** {@code GET /nodes/{node}/tasks/{upid}/status}; {@code node} must be the node that runs the task. */
    public PveTaskStatus taskStatus(String node, String upid) {
        if (!NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("invalid node name '" + node + "'");
        }
        if (!upid.matches("UPID:[A-Za-z0-9:.@!_\\-]+")) {
            throw new IllegalArgumentException("invalid task id '" + upid + "'");
        }
        String path = "/nodes/" + node + "/tasks/" + upid + "/status";
        String request = "GET " + path;
        JsonNode data = object(request, send(request, "GET", path, null, Optional.of(node)));
        return new PveTaskStatus(PveFields.text(data, "upid", upid), PveFields.text(data, "node", node),
                PveFields.text(data, "type", ""), PveFields.text(data, "id", ""), PveFields.text(data, "status", "unknown"),
                PveFields.optionalText(data, "exitstatus"));
    }

    /**
     * Where HA may run each HA-managed container, by VMID: {@code GET /cluster/ha/resources?type=ct}, then the PVE 8
     * groups its resources name ({@code GET /cluster/ha/groups}) or, when none names a group, the PVE 9 node-affinity
     * rules ({@code GET /cluster/ha/rules?type=node-affinity}; a release without rules answers 501: none). A container
     * without a rule or group is absent (HA may run it anywhere). Disabled rules are left out. Needs {@code Sys.Audit}
     * on {@code /}.
     */
    public Map<Integer, PveHaNodeAffinity> haNodeAffinity() {
        String request = "GET /cluster/ha/resources?type=ct";
        Map<Integer, String> groupOf = new LinkedHashMap<>();
        Map<Integer, Boolean> failbackOf = new LinkedHashMap<>();
        for (JsonNode r : array(request, send(request, "GET", "/cluster/ha/resources?type=ct", null, Optional.empty()))) {
            String sid = PveFields.text(r, "sid", "");
            if (!sid.startsWith("ct:")) {
                continue;
            }
            int vmid = containerOfSid(request, sid);
            failbackOf.put(vmid, PveFields.integer(request, r, "failback", 1) != 0);
            PveFields.optionalText(r, "group").ifPresent(g -> groupOf.put(vmid, g));
        }
        Map<Integer, PveHaNodeAffinity> out = new TreeMap<>();
        if (!groupOf.isEmpty()) {
            String groups = "GET /cluster/ha/groups";
            Map<String, PveHaNodeAffinity> byName = new LinkedHashMap<>();
            for (JsonNode g : array(groups, send(groups, "GET", "/cluster/ha/groups", null, Optional.empty()))) {
                String name = PveFields.text(g, "group", "");
                byName.put(name, new PveHaNodeAffinity("group " + name, nodes(groups, g), PveFields.integer(groups, g, "restricted", 0) != 0,
                        PveFields.integer(groups, g, "nofailback", 0) == 0));
            }
            groupOf.forEach((vmid, group) -> {
                PveHaNodeAffinity a = byName.get(group);
                if (a != null) {
                    out.put(vmid, a);
                }
            });
            return out;
        }
        if (failbackOf.isEmpty()) {
            return out;
        }
        String rules = "GET /cluster/ha/rules?type=node-affinity";
        JsonNode data;
        try {
            data = send(rules, "GET", "/cluster/ha/rules?type=node-affinity", null, Optional.empty());
        } catch (PveApiException e) {
            if (e.status() == 501) {
                return out; // a release before HA rules, and no group named: no constraint
            }
            throw e;
        }
        for (JsonNode rule : array(rules, data)) {
            if (PveFields.integer(rules, rule, "disable", 0) != 0 || !PveFields.text(rule, "type", "node-affinity").equals("node-affinity")) {
                continue;
            }
            PveHaNodeAffinity a = new PveHaNodeAffinity(PveFields.text(rule, "rule", ""), nodes(rules, rule),
                    PveFields.integer(rules, rule, "strict", 0) != 0, true);
            for (String sid : PveFields.text(rule, "resources", "").split(",")) {
                String s = sid.strip();
                if (s.startsWith("ct:")) {
                    int vmid = containerOfSid(rules, s);
                    out.putIfAbsent(vmid, a.withFailback(failbackOf.getOrDefault(vmid, true)));
                }
            }
        }
        return out;
    }

    /** The VMID of an HA resource id {@code ct:<vmid>}. */
    private static int containerOfSid(String request, String sid) {
        try {
            return Integer.parseInt(sid.substring(3));
        } catch (NumberFormatException e) {
            throw new PveApiException(200, request + ": '" + sid + "' is not an HA resource id ct:<vmid>");
        }
    }

    private static Map<String, Integer> nodes(String request, JsonNode entry) {
        try {
            return PveHaNodeAffinity.parseNodes(PveFields.text(entry, "nodes", ""));
        } catch (IllegalArgumentException e) {
            throw new PveApiException(200, request + ": field 'nodes': " + e.getMessage());
        }
    }

    /**
     * {@code GET /cluster/status} as Proxmox gives it: a {@code cluster} entry (name, node count, {@code quorate}) and a
     * {@code node} entry per member ({@code name}, {@code nodeid}, {@code ip}, {@code online}, {@code local}). Needs
     * {@code Sys.Audit} on {@code /}.
     */
    public JsonNode clusterStatus() {
        String request = "GET /cluster/status";
        JsonNode data = send(request, "GET", "/cluster/status", null, Optional.empty());
        array(request, data);
        return data;
    }

    /** {@code GET /access/permissions}: the token's effective privileges per ACL path. */
    public PvePermissions permissions() {
        String request = "GET /access/permissions";
        JsonNode data = object(request, send(request, "GET", "/access/permissions", null, Optional.empty()));
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            Set<String> privileges = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(privileges::add);
            byPath.put(path.getKey(), privileges);
        }
        return new PvePermissions(byPath);
    }

    private static String containerPath(String node, int vmid) {
        if (!NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("invalid node name '" + node + "'");
        }
        if (vmid < 100) {
            throw new IllegalArgumentException("invalid vmid " + vmid + " (Proxmox ids start at 100)");
        }
        return "/nodes/" + node + "/lxc/" + vmid;
    }

    private static JsonNode object(String request, JsonNode data) {
        if (data == null || !data.isObject()) {
            throw new PveApiException(200, request + ": expected an object, got " + data);
        }
        return data;
    }

    private static Iterable<JsonNode> array(String request, JsonNode data) {
        if (data == null || !data.isArray()) {
            throw new PveApiException(200, request + ": expected a list, got " + data);
        }
        return data;
    }

    /** Sends one request and returns the envelope's {@code data}; maps every failure to a typed exception. */
    private JsonNode send(String request, String method, String pathAndQuery, Map<String, String> form, Optional<String> routedNode) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(requestTimeout)
                .header("Authorization", token.authorizationHeader())
                .header("Accept", "application/json");
        if (form == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(formBody(form)));
        }
        HttpResponse<String> response;
        requests.incrementAndGet();
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (SSLException e) {
            throw new PveTlsRefusedException(request + ": TLS to " + base.getAuthority() + " refused: " + e.getMessage(), e);
        } catch (HttpConnectTimeoutException | ConnectException | NoRouteToHostException e) {
            throw new PveNodeUnreachableException(0, base.getHost(), request + ": API host " + base.getAuthority()
                    + " is unreachable: " + e, e);
        } catch (HttpTimeoutException e) {
            throw new PveNodeUnreachableException(0, routedNode.orElse(base.getHost()), request + ": no answer within "
                    + requestTimeout.toSeconds() + " s", e);
        } catch (IOException e) {
            if (e.getCause() instanceof SSLException ssl) {
                throw new PveTlsRefusedException(request + ": TLS to " + base.getAuthority() + " refused: " + ssl.getMessage(), e);
            }
            throw new PveApiException(0, request + ": I/O error talking to " + base.getAuthority() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PveApiException(0, request + ": interrupted", e);
        }
        if (response.statusCode() != 200) {
            JsonNode body = errorBody(response.body());
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText() : "";
            Map<String, String> errors = new TreeMap<>();
            if (body != null && body.has("errors") && body.get("errors").isObject()) {
                body.get("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asText()));
            }
            throw PveErrors.fromResponse(request, routedNode, response.statusCode(), message, errors);
        }
        JsonNode body = parseBody(request, response.body());
        if (body == null || !body.isObject() || !body.has("data")) {
            throw new PveApiException(200, request + ": response is not a {\"data\": ...} envelope");
        }
        return body.get("data");
    }

    private static JsonNode parseBody(String request, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new PveApiException(0, request + ": response is not JSON: " + e.getOriginalMessage());
        }
    }

    /** An error body is JSON {@code {"data":null,"message":...}} or empty; anything else is ignored. */
    private static JsonNode errorBody(String text) {
        try {
            return text == null || text.isBlank() ? null : Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String formBody(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return body.toString();
    }
}
