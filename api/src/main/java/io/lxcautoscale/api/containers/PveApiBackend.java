package io.lxcautoscale.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.proxmox.ContainerConfig;
import io.lxcautoscale.common.proxmox.PctConfig;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import io.lxcautoscale.common.pveapi.PveApiClient;
import io.lxcautoscale.common.pveapi.PveApiException;
import io.lxcautoscale.common.pveapi.PveClusterResources;
import io.lxcautoscale.common.pveapi.PveContainerStatus;
import io.lxcautoscale.common.pveapi.PveDigestConflictException;
import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster backend ({@code proxmox.backend: api}): every read and change goes through the Proxmox REST API, so a
 * container on any node of the cluster can be served. A container's node comes from {@code GET /cluster/resources}
 * (one request, reused for {@link #RESOURCES_TTL}); a change is a {@code PUT .../config} carrying the digest of the
 * configuration the route decided on, sent once more with a fresh digest when someone else changed the file
 * meanwhile. "This node" ({@link #all}, {@link #runStates}) is {@code lxc.node}.
 */
public final class PveApiBackend implements ContainerBackend {
    /** How long one {@code /cluster/resources} answer is reused to find a container's node. */
    public static final Duration RESOURCES_TTL = Duration.ofSeconds(2);
    /** The routes that need what this backend does not do yet (tasks: snapshots, clones, disks). */
    public static final Set<String> UNSUPPORTED_ROUTES = Set.of("POST /scale/storage/increase", "POST /snapshot/create",
            "GET /snapshot/list", "POST /snapshot/rollback", "DELETE /snapshot/delete", "POST /clone/create",
            "DELETE /clone/delete");
    private static final Logger LOG = LoggerFactory.getLogger(PveApiBackend.class);

    private record Resources(PveClusterResources view, Instant readAt) {
    }

    private final PveApiClient client;
    private final String localNode;
    private final Duration resourcesTtl;
    private final Clock clock;
    private final ApiMetrics metrics;
    private volatile Resources resources;

    /**
     * @param localNode    this node's Proxmox name: the node whose containers {@link #all} lists
     * @param resourcesTtl how long a {@code /cluster/resources} answer is reused ({@link #RESOURCES_TTL}; zero = never)
     */
    public PveApiBackend(PveApiClient client, String localNode, Duration resourcesTtl, Clock clock, ApiMetrics metrics) {
        this.client = client;
        this.localNode = localNode;
        this.resourcesTtl = resourcesTtl;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public Set<String> unsupportedRoutes() {
        return UNSUPPORTED_ROUTES;
    }

    /** What the token lacks ({@code "<privilege> on <path>"}) from {@code GET /access/permissions}; empty when nothing. */
    public List<String> missingPrivileges() {
        return client.permissions().missingForClusterMode(false);
    }

    /** The API base (for logs). */
    public String apiBase() {
        return client.base().toString();
    }

    @Override
    public void requireExists(ApiCall call, int vmid) {
        locate(call, vmid);
    }

    @Override
    public Entry require(ApiCall call, int vmid) {
        return onContainer(call, vmid, node -> entry(node, vmid, timed(call, "GET config",
                () -> client.containerConfigValues(node, vmid))));
    }

    @Override
    public Entry requireUnlocked(ApiCall call, int vmid) {
        Entry entry = require(call, vmid);
        String lock = entry.config().lock();
        if (lock != null) {
            throw ApiError.conflict("Container " + vmid + " is locked (" + lock + "); try again when the "
                    + lock + " operation has finished");
        }
        return entry;
    }

    @Override
    public List<Entry> all(ApiCall call) {
        List<Entry> entries = new ArrayList<>();
        for (PveGuest guest : localContainers(call)) {
            try {
                entries.add(require(call, guest.vmid()));
            } catch (ApiError e) {
                // one unreadable container must not hide every other container from the model
                LOG.warn("skipping container {}: {}", guest.vmid(), e.getMessage());
            }
        }
        return entries;
    }

    @Override
    public Map<Integer, String> runStates(ApiCall call) {
        Map<Integer, String> states = new HashMap<>();
        for (PveGuest guest : localContainers(call)) {
            states.put(guest.vmid(), guest.status());
        }
        return states;
    }

    @Override
    public String runState(ApiCall call, int vmid) {
        return status(call, vmid).status();
    }

    @Override
    public void setCores(ApiCall call, Entry current, int cores) {
        set(call, current, "cores", cores);
    }

    @Override
    public void setMemory(ApiCall call, Entry current, int memoryMb) {
        set(call, current, "memory", memoryMb);
    }

    @Override
    public void setSwap(ApiCall call, Entry current, int swapMb) {
        set(call, current, "swap", swapMb);
    }

    @Override
    public MemoryUsage.Reading memoryUse(ApiCall call, int vmid) {
        PveContainerStatus status = status(call, vmid);
        return status.running() ? new MemoryUsage.Used(status.mem()) : new MemoryUsage.NotRunning();
    }

    @Override
    public JsonNode nodeStatus(ApiCall call, String node) {
        PveNode found = resources(call, false).nodes().stream().filter(n -> n.node().equals(node)).findFirst()
                .orElseThrow(() -> ApiError.notFound("Node '" + node + "' is not a node of this cluster (not in /cluster/resources)"));
        if (!found.online()) {
            throw new ApiError(503, "Proxmox node '" + node + "' is " + found.status());
        }
        if (found.maxcpu() <= 0 || found.maxmem() <= 0) {
            throw new ApiError(403, "The Proxmox API token (proxmox.token_file) lacks privilege Sys.Audit on /nodes/" + node
                    + ": /cluster/resources lists the node without its CPUs and memory");
        }
        ObjectNode status = Json.mapper().createObjectNode();
        status.put("node", found.node()).put("status", found.status()).put("cpu", found.cpu());
        status.putObject("cpuinfo").put("cpus", found.maxcpu());
        status.putObject("memory").put("total", found.maxmem()).put("used", found.mem()).put("free", found.maxmem() - found.mem());
        return status;
    }

    @Override
    public JsonNode clusterStatus(ApiCall call) {
        return timed(call, "GET cluster/status", client::clusterStatus);
    }

    @Override
    public Map<String, Object> healthChecks(ApiCall call) {
        Map<String, Object> checks = new LinkedHashMap<>();
        try {
            Optional<PveNode> self = resources(call, true).nodes().stream().filter(n -> n.node().equals(localNode)).findFirst();
            checks.put("proxmox_api", ContainerBackend.check(true, client.base() + " answers"));
            checks.put("proxmox_node", self.isPresent() && self.get().online()
                    ? ContainerBackend.check(true, "node '" + localNode + "' is online")
                    : ContainerBackend.check(false, "node '" + localNode + "' (lxc.node) is "
                    + self.map(PveNode::status).orElse("not in /cluster/resources")));
        } catch (ApiError e) {
            checks.put("proxmox_api", ContainerBackend.check(false, e.getMessage()));
        }
        return checks;
    }

    private PveContainerStatus status(ApiCall call, int vmid) {
        return onContainer(call, vmid, node -> timed(call, "GET status", () -> client.containerStatus(node, vmid)));
    }

    /** One option changed with the digest of {@code current}; a digest conflict is retried once with a fresh read. */
    private void set(ApiCall call, Entry current, String option, int value) {
        int vmid = current.config().vmid();
        String node = nodeOf(current);
        Map<String, String> options = Map.of(option, Integer.toString(value));
        try {
            timed(call, "PUT config", () -> {
                client.setConfigOptions(node, vmid, options, current.parsed().get("digest"));
                return null;
            });
        } catch (DigestConflict conflict) {
            LOG.info("container {}: config changed since it was read ({}); reading it again and retrying once", vmid,
                    conflict.getMessage());
            Map<String, String> again = timed(call, "GET config", () -> client.containerConfigValues(node, vmid));
            try {
                timed(call, "PUT config", () -> {
                    client.setConfigOptions(node, vmid, options, again.get("digest"));
                    return null;
                });
            } catch (DigestConflict twice) {
                throw ApiError.conflict("The configuration of container " + vmid + " kept changing while " + option
                        + " was being set; try again (" + twice.getMessage() + ")");
            }
        }
    }

    /** Thrown by {@link #timed} for the first digest conflict so that {@link #set} can retry. */
    private static final class DigestConflict extends RuntimeException {
        DigestConflict(String message) {
            super(message, null, false, false);
        }
    }

    private Entry entry(String node, int vmid, Map<String, String> values) {
        String source = "nodes/" + node + "/lxc/" + vmid + ".conf";
        try {
            PctConfig parsed = new PctConfig(values, List.of(), "", Map.of(), List.of(), List.of());
            return new Entry(Path.of("/etc/pve", source), parsed, ContainerConfig.from(vmid, source, parsed));
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, "Cannot parse " + e.getMessage());
        }
    }

    /** The node of an entry this backend made: its file is {@code /etc/pve/nodes/<node>/lxc/<vmid>.conf}. */
    private static String nodeOf(Entry entry) {
        return entry.file().getParent().getParent().getFileName().toString();
    }

    /**
     * Runs {@code action} on the container's node; when Proxmox says the config is not there (it migrated since the
     * node was looked up), looks the node up again and runs it once more on the new node.
     */
    private <T> T onContainer(ApiCall call, int vmid, Function<String, T> action) {
        String node = locate(call, vmid);
        try {
            return action.apply(node);
        } catch (ApiError notFound) {
            if (notFound.httpStatus() != 404) {
                throw notFound;
            }
            String now = locateFresh(call, vmid);
            if (now.equals(node)) {
                throw notFound;
            }
            return action.apply(now);
        }
    }

    private String locate(ApiCall call, int vmid) {
        Optional<PveGuest> guest = find(resources(call, false), vmid);
        return guest.isPresent() ? nodeOfGuest(vmid, guest.get()) : locateFresh(call, vmid);
    }

    private String locateFresh(ApiCall call, int vmid) {
        return nodeOfGuest(vmid, find(resources(call, true), vmid).orElseThrow(() -> ApiError.notFound("Container " + vmid
                + " does not exist in the cluster (not in /cluster/resources)")));
    }

    private static String nodeOfGuest(int vmid, PveGuest guest) {
        if (!guest.isContainer()) {
            throw ApiError.notFound("Guest " + vmid + " is a virtual machine (" + guest.type() + "), not a container");
        }
        return guest.node();
    }

    private static Optional<PveGuest> find(PveClusterResources view, int vmid) {
        return view.guests().stream().filter(g -> g.vmid() == vmid).findFirst();
    }

    private List<PveGuest> localContainers(ApiCall call) {
        return resources(call, false).guests().stream().filter(g -> g.isContainer() && g.node().equals(localNode))
                .sorted(Comparator.comparingInt(PveGuest::vmid)).toList();
    }

    private PveClusterResources resources(ApiCall call, boolean fresh) {
        Resources cached = resources;
        Instant now = clock.instant();
        if (!fresh && cached != null && now.isBefore(cached.readAt().plus(resourcesTtl))) {
            return cached.view();
        }
        PveClusterResources view = timed(call, "GET cluster/resources", client::clusterResources);
        resources = new Resources(view, now);
        return view;
    }

    /**
     * One API request, counted and timed like a {@code pct} call (tool {@code pveapi}); its failure becomes the
     * API's answer ({@link PveApiFailures}), except a digest conflict, which {@link #set} retries.
     */
    private <T> T timed(ApiCall call, String request, Supplier<T> action) {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            T result = action.get();
            outcome = "ok";
            return result;
        } catch (PveDigestConflictException e) {
            throw new DigestConflict(e.getMessage());
        } catch (PveApiException e) {
            LOG.warn("{}", e.getMessage());
            throw PveApiFailures.toApiError(e);
        } finally {
            long nanos = System.nanoTime() - start;
            call.exchange().addToolTime(nanos);
            metrics.pctCall("pveapi", request, outcome, nanos / 1e9);
        }
    }
}
