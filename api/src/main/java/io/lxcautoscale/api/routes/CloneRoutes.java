package io.lxcautoscale.api.routes;

import static io.lxcautoscale.api.routes.ScaleRoutes.data;

import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.Fields;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.api.http.RouteDef.FieldDef;
import io.lxcautoscale.common.proxmox.ContainerStatus;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /clone/*}: clone a container to a free VMID, and delete (stop if needed, then destroy) a container. */
public final class CloneRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CloneRoutes.class);
    private final RouteContext ctx;

    public CloneRoutes(RouteContext ctx) {
        this.ctx = ctx;
    }

    public List<RouteDef> routes() {
        return List.of(
                new RouteDef("POST", "/clone/create", "Clone a container to a free VMID (pct clone); running sources are cloned from a temporary snapshot",
                        List.of(Inputs.VM_ID,
                                new FieldDef("new_vm_id", List.of("new_lxc_id"), "integer", true, "the new container id; must be free"),
                                new FieldDef("new_vm_name", List.of("new_lxc_name", "hostname"), "string", true, "RFC 1123 host name of the clone"),
                                Inputs.optionalBool("start", "start the clone afterwards (default false: a clone keeps the source's IP settings)")),
                        true, false, "{\"vm_id\":101,\"new_vm_id\":201,\"new_vm_name\":\"web1-copy\"}", this::create),
                new RouteDef("DELETE", "/clone/delete", "Delete a container: stop it when running, then pct destroy",
                        List.of(Inputs.VM_ID), true, false, "{\"vm_id\":201}", this::delete));
    }

    private ApiResult create(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        Integer newId = f.vmidField("new_vm_id", true, "new_lxc_id");
        String hostname = f.hostname("new_vm_name", true, "new_lxc_name", "hostname");
        Boolean start = f.bool("start", false);
        if (id != null && id.equals(newId)) {
            f.error("new_vm_id must differ from vm_id");
        }
        f.finish();
        ctx.containers().requireExists(id);
        requireFree(newId);
        try (ContainerLocks.Held held = ctx.locks().acquireBoth(id, newId)) {
            Entry source = ctx.containers().requireUnlocked(id);
            requireFree(newId);
            boolean running = status(call, id).running();
            List<String> argv = new ArrayList<>(List.of("clone", Integer.toString(id), Integer.toString(newId), "--hostname", hostname));
            String storage = ctx.config().lxc().defaultStorage();
            if (storage != null) {
                argv.addAll(List.of("--full", "1", "--storage", storage));
            }
            // a full clone of a running container needs a snapshot; a stopped one is copied directly
            // (and works on storage without snapshot support)
            String snapshot = running ? "clone-" + newId : null;
            if (snapshot != null) {
                if (source.parsed().snapshotNames().contains(snapshot)) {
                    throw ApiError.conflict("Container " + id + " already has a snapshot named '" + snapshot + "' (left by an earlier clone?)");
                }
                ctx.proxmox().pctLong(call, "snapshot", Integer.toString(id), snapshot);
                argv.addAll(List.of("--snapname", snapshot));
            }
            String cleanupError = null;
            try {
                ctx.proxmox().pctLong(call, argv.toArray(String[]::new));
                if (Boolean.TRUE.equals(start)) {
                    ctx.proxmox().pctLong(call, "start", Integer.toString(newId));
                }
            } finally {
                if (snapshot != null) {
                    try {
                        ctx.proxmox().pctLong(call, "delsnapshot", Integer.toString(id), snapshot);
                    } catch (ApiError e) {
                        cleanupError = e.getMessage();
                        LOG.error("clone {} -> {}: removing temporary snapshot {} failed: {}", id, newId, snapshot, e.getMessage());
                    }
                }
            }
            String message = "Container " + newId + " cloned from " + id + (Boolean.TRUE.equals(start) ? " and started" : "")
                    + (cleanupError == null ? "" : "; temporary snapshot cleanup failed: " + cleanupError);
            return ApiResult.ok(message, data("vm_id", id, "new_vm_id", newId, "new_vm_name", hostname, "storage", storage,
                    "started", Boolean.TRUE.equals(start), "temporary_snapshot", snapshot, "snapshot_cleanup_failed", cleanupError != null));
        }
    }

    private ApiResult delete(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        f.finish();
        ctx.containers().requireExists(id);
        try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
            Entry current = ctx.containers().requireUnlocked(id);
            if (current.config().protection()) {
                throw ApiError.conflict("Container " + id + " is protected (protection: 1); remove the protection first");
            }
            boolean wasRunning = status(call, id).running();
            if (wasRunning) {
                ctx.proxmox().pctLong(call, "stop", Integer.toString(id));
            }
            ctx.proxmox().pctLong(call, "destroy", Integer.toString(id));
            return ApiResult.ok("Container " + id + " successfully deleted", data("vm_id", id, "was_running", wasRunning));
        }
    }

    private ContainerStatus status(ApiCall call, int id) {
        try {
            return ContainerStatus.parse(ctx.proxmox().pct(call, "status", Integer.toString(id)).stdout());
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, e.getMessage());
        }
    }

    private void requireFree(int newId) {
        if (ctx.containers().exists(newId)) {
            throw ApiError.conflict("VMID " + newId + " is already used by a container on this node");
        }
    }
}
