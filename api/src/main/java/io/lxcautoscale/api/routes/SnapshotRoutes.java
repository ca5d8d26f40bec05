package io.lxcautoscale.api.routes;

import static io.lxcautoscale.api.routes.ScaleRoutes.data;

import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.Fields;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.common.proxmox.CommandResult;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import io.lxcautoscale.common.proxmox.SnapshotEntry;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /snapshot/*}: create, list, roll back and delete container snapshots. */
public final class SnapshotRoutes {
    private final RouteContext ctx;

    public SnapshotRoutes(RouteContext ctx) {
        this.ctx = ctx;
    }

    public List<RouteDef> routes() {
        return List.of(
                new RouteDef("POST", "/snapshot/create", "Take a snapshot (pct snapshot <id> <name>)",
                        List.of(Inputs.VM_ID, Inputs.SNAPSHOT_NAME), true, false,
                        "{\"vm_id\":101,\"snapshot_name\":\"before-upgrade\"}", this::create),
                new RouteDef("GET", "/snapshot/list", "List snapshots as a parsed tree (pct listsnapshot <id>)",
                        List.of(Inputs.VM_ID), false, false, "vm_id=101", this::list),
                new RouteDef("POST", "/snapshot/rollback", "Roll back to a snapshot (pct rollback <id> <name>); a running container is stopped first",
                        List.of(Inputs.VM_ID, Inputs.SNAPSHOT_NAME, Inputs.optionalBool("start", "start the container after the rollback (default false)")),
                        true, false, "{\"vm_id\":101,\"snapshot_name\":\"before-upgrade\"}", this::rollback),
                new RouteDef("DELETE", "/snapshot/delete", "Delete a snapshot (pct delsnapshot <id> <name>)",
                        List.of(Inputs.VM_ID, Inputs.SNAPSHOT_NAME), true, false,
                        "{\"vm_id\":101,\"snapshot_name\":\"before-upgrade\"}", this::delete));
    }

    private ApiResult create(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        String name = f.snapshotName("snapshot_name", true);
        f.finish();
        ctx.containers().requireExists(id);
        try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
            Entry current = ctx.containers().requireUnlocked(id);
            if (current.parsed().snapshotNames().contains(name)) {
                throw ApiError.conflict("Container " + id + " already has a snapshot named '" + name + "'");
            }
            ctx.proxmox().pctLong(call, "snapshot", Integer.toString(id), name);
            return ApiResult.ok("Snapshot '" + name + "' created for container " + id, data("vm_id", id, "snapshot_name", name));
        }
    }

    private ApiResult list(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        f.finish();
        ctx.containers().requireExists(id);
        CommandResult r = ctx.proxmox().pct(call, "listsnapshot", Integer.toString(id));
        List<SnapshotEntry> tree;
        try {
            tree = SnapshotEntry.parseTree(r.stdout());
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, e.getMessage());
        }
        List<Map<String, Object>> snapshots = new ArrayList<>();
        for (SnapshotEntry s : tree) {
            snapshots.add(data("name", s.name(), "parent", s.parent(), "level", s.level(),
                    "time", s.time() == null ? null : s.time().atOffset(ZoneOffset.UTC).toInstant().toString(),
                    "description", s.description(), "current", s.current()));
        }
        return ApiResult.ok("Snapshots listed for container " + id, data("vm_id", id, "snapshots", snapshots));
    }

    private ApiResult rollback(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        String name = f.snapshotName("snapshot_name", true);
        Boolean start = f.bool("start", false);
        f.finish();
        ctx.containers().requireExists(id);
        try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
            Entry current = ctx.containers().requireUnlocked(id);
            requireSnapshot(id, current, name);
            if (Boolean.TRUE.equals(start)) {
                ctx.proxmox().pctLong(call, "rollback", Integer.toString(id), name, "--start", "1");
            } else {
                ctx.proxmox().pctLong(call, "rollback", Integer.toString(id), name);
            }
            return ApiResult.ok("Container " + id + " rolled back to snapshot '" + name + "'",
                    data("vm_id", id, "snapshot_name", name, "started", Boolean.TRUE.equals(start)));
        }
    }

    private ApiResult delete(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        String name = f.snapshotName("snapshot_name", true);
        f.finish();
        ctx.containers().requireExists(id);
        try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
            Entry current = ctx.containers().requireUnlocked(id);
            requireSnapshot(id, current, name);
            ctx.proxmox().pctLong(call, "delsnapshot", Integer.toString(id), name);
            return ApiResult.ok("Snapshot '" + name + "' deleted from container " + id, data("vm_id", id, "snapshot_name", name));
        }
    }

    private static void requireSnapshot(int id, Entry current, String name) {
        if (!current.parsed().snapshotNames().contains(name)) {
            throw ApiError.notFound("Container " + id + " has no snapshot named '" + name + "'");
        }
    }
}
