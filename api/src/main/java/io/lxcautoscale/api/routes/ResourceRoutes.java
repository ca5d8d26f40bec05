package io.lxcautoscale.api.routes;

import static io.lxcautoscale.api.routes.ScaleRoutes.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.Fields;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.http.RouteDef.FieldDef;
import io.lxcautoscale.common.proxmox.ContainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /resource/*}: container status and configuration (one or all), node and cluster status. */
public final class ResourceRoutes {
    private final RouteContext ctx;

    public ResourceRoutes(RouteContext ctx) {
        this.ctx = ctx;
    }

    public List<RouteDef> routes() {
        List<FieldDef> vm = List.of(Inputs.VM_ID);
        return List.of(
                new RouteDef("GET", "/resource/lxc/status", "Run state of one container (pct status <id>)", vm, false, false, "vm_id=101", this::status),
                new RouteDef("GET", "/resource/vm/status", "Deprecated alias of /resource/lxc/status", vm, false, true, "vm_id=101", this::status),
                new RouteDef("GET", "/resource/lxc/config", "Configuration of one container, read from its config file", vm, false, false, "vm_id=101", this::config),
                new RouteDef("GET", "/resource/vm/config", "Deprecated alias of /resource/lxc/config", vm, false, true, "vm_id=101", this::config),
                new RouteDef("GET", "/resource/lxc/configs", "Every container on the node: status, cores, cpulimit, memory, swap, lock, tags, template (one pct list call)",
                        List.of(), false, false, "", this::configs),
                new RouteDef("GET", "/resource/node/status", "Node status (pvesh get /nodes/<node>/status)",
                        List.of(new FieldDef("node_name", List.of(), "string", false, "node name; default lxc.node or this host's name")),
                        false, false, "", this::node),
                new RouteDef("GET", "/resource/cluster/status", "Cluster status (GET /cluster/status: pvesh, or the Proxmox API with proxmox.backend api)", List.of(), false, false, "", this::cluster));
    }

    private ApiResult status(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        f.finish();
        Entry entry = ctx.backend().require(call, id);
        String status = ctx.backend().runState(call, id);
        return ApiResult.ok("Resource status retrieved for container " + id,
                data("vm_id", id, "status", status, "name", entry.config().name(), "lock", entry.config().lock()));
    }

    private ApiResult config(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        f.finish();
        Entry entry = ctx.backend().require(call, id);
        ContainerConfig c = entry.config();
        Map<String, Object> data = data("lxc_id", id, "vm_id", id, "hostname", c.hostname(), "name", c.name(),
                "cores", c.cores(), "cpulimit", c.cpulimit(), "cpuunits", c.cpuunits(), "memory_mb", c.memoryMb(),
                "swap_mb", c.swapMb(), "rootfs", c.rootfs(), "tags", c.tags(), "lock", c.lock(), "template", c.template(),
                "onboot", c.onboot(), "protection", c.protection(), "unprivileged", c.unprivileged(),
                "snapshots", c.snapshots(), "pending", entry.parsed().pending(), "pending_deletes", entry.parsed().pendingDeletes(),
                "values", entry.parsed().values());
        return ApiResult.ok("Successfully retrieved configuration for container " + id, data);
    }

    private ApiResult configs(ApiCall call) {
        call.fields().finish();
        List<Entry> entries = ctx.backend().all(call);
        Map<Integer, String> running = entries.isEmpty() ? Map.of() : ctx.backend().runStates(call);
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Entry e : entries) {
            ContainerConfig c = e.config();
            containers.add(data("vmid", c.vmid(), "status", running.getOrDefault(c.vmid(), "unknown"), "name", c.name(),
                    "cores", c.cores(), "cpulimit", c.cpulimit(), "memory_mb", c.memoryMb(), "swap_mb", c.swapMb(),
                    "lock", c.lock(), "tags", c.tags(), "template", c.template()));
        }
        return ApiResult.ok("Configuration of " + containers.size() + " containers on node '" + ctx.nodeName() + "'",
                data("node", ctx.nodeName(), "containers", containers));
    }

    private ApiResult node(ApiCall call) {
        Fields f = call.fields();
        String node = f.nodeName("node_name", false);
        f.finish();
        String name = node == null ? ctx.nodeName() : node;
        JsonNode status = ctx.backend().nodeStatus(call, name);
        return ApiResult.ok("Resource status retrieved for node '" + name + "'", status);
    }

    private ApiResult cluster(ApiCall call) {
        call.fields().finish();
        JsonNode status = ctx.backend().clusterStatus(call);
        return ApiResult.ok("Cluster resource status retrieved successfully", status);
    }
}
