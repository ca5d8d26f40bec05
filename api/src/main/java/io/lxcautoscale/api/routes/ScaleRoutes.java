package io.lxcautoscale.api.routes;

import io.lxcautoscale.api.containers.MemoryUsage;

import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.http.ApiResult;
import io.lxcautoscale.api.http.Fields;
import io.lxcautoscale.api.http.RouteDef;
import io.lxcautoscale.common.memory.MemoryHeadroom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /scale/*}: cores, memory, swap and root-disk growth of one container. */
public final class ScaleRoutes {
    private static final long MIB = 1L << 20;
    private final RouteContext ctx;

    public ScaleRoutes(RouteContext ctx) {
        this.ctx = ctx;
    }

    public List<RouteDef> routes() {
        int maxCores = ctx.config().limits().maxCores();
        int maxMemory = ctx.config().limits().maxMemoryMb();
        return List.of(
                new RouteDef("POST", "/scale/cores", "Set the number of CPU cores (pct set <id> -cores N)",
                        List.of(Inputs.VM_ID, Inputs.integer("cores", "1-" + maxCores + " (limits.max_cores)")),
                        true, false, "{\"vm_id\":101,\"cores\":2}", this::cores),
                new RouteDef("POST", "/scale/ram", "Set the memory limit in MB (pct set <id> -memory MB); a decrease is refused below used memory + headroom",
                        List.of(Inputs.VM_ID, Inputs.integer("memory", "MB, 16-" + maxMemory + " (limits.max_memory_mb)")),
                        true, false, "{\"vm_id\":101,\"memory\":2048}", this::ram),
                new RouteDef("POST", "/scale/swap", "Set the swap limit in MB (pct set <id> -swap MB)",
                        List.of(Inputs.VM_ID, Inputs.integer("swap", "MB, 0-" + maxMemory)),
                        true, false, "{\"vm_id\":101,\"swap\":512}", this::swap),
                new RouteDef("POST", "/scale/storage/increase", "Grow the root disk by disk_size GB (pct resize <id> rootfs +NG)",
                        List.of(Inputs.VM_ID, Inputs.integer("disk_size", "GB to add, 1-" + ctx.config().limits().maxDiskIncreaseGb())),
                        true, false, "{\"vm_id\":101,\"disk_size\":2}", this::storage));
    }

    private ApiResult cores(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        Integer cores = f.intInRange("cores", true, "Cores", 1, ctx.config().limits().maxCores(), "");
        f.finish();
        return counted("cpu", () -> {
            ctx.backend().requireExists(call, id);
            try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
                Entry current = ctx.backend().requireUnlocked(call, id);
                Integer previous = current.config().cores();
                String direction = direction(previous, cores);
                if (!unchanged(current, "cores", previous, cores)) {
                    ctx.backend().setCores(call, current, cores);
                }
                ctx.metrics().scalingAction("cpu", direction);
                return ApiResult.ok("CPU cores set to " + cores + " for container " + id,
                        data("vm_id", id, "cores", cores, "previous_cores", previous));
            }
        });
    }

    private ApiResult ram(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        Integer memory = f.intInRange("memory", true, "Memory", 16, ctx.config().limits().maxMemoryMb(), "MB");
        f.finish();
        return counted("memory", () -> {
            ctx.backend().requireExists(call, id);
            try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
                Entry current = ctx.backend().requireUnlocked(call, id);
                int previous = current.config().memoryMb();
                if (memory < previous) {
                    checkMemoryFloor(call, id, memory); // the floor guards decreases only: more memory can never hurt
                }
                if (!unchanged(current, "memory", current.parsed().get("memory") == null ? null : previous, memory)) {
                    ctx.backend().setMemory(call, current, memory);
                }
                ctx.metrics().scalingAction("memory", direction(previous, memory));
                return ApiResult.ok("RAM set to " + memory + " MB for container " + id,
                        data("vm_id", id, "memory_mb", memory, "previous_memory_mb", previous));
            }
        });
    }

    private ApiResult swap(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        Integer swap = f.intInRange("swap", true, "Swap", 0, ctx.config().limits().maxMemoryMb(), "MB");
        f.finish();
        return counted("swap", () -> {
            ctx.backend().requireExists(call, id);
            try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
                Entry current = ctx.backend().requireUnlocked(call, id);
                int previous = current.config().swapMb();
                if (!unchanged(current, "swap", current.parsed().get("swap") == null ? null : previous, swap)) {
                    ctx.backend().setSwap(call, current, swap);
                }
                ctx.metrics().scalingAction("swap", direction(previous, swap));
                return ApiResult.ok("Swap set to " + swap + " MB for container " + id,
                        data("vm_id", id, "swap_mb", swap, "previous_swap_mb", previous));
            }
        });
    }

    private ApiResult storage(ApiCall call) {
        Fields f = call.fields();
        Integer id = f.vmid(true);
        Integer gb = f.intInRange("disk_size", true, "Disk size", 1, ctx.config().limits().maxDiskIncreaseGb(), "GB");
        f.finish();
        return counted("storage", () -> {
            ctx.containers().requireExists(id);
            try (ContainerLocks.Held held = ctx.locks().acquire(id)) {
                Entry current = ctx.containers().requireUnlocked(id);
                if (current.config().rootfs() == null) {
                    throw ApiError.conflict("Container " + id + " has no rootfs in its configuration");
                }
                // relative size: Proxmox adds exactly this much, no rounding of the current size
                ctx.proxmox().pctLong(call, "resize", Integer.toString(id), "rootfs", "+" + gb + "G");
                ctx.metrics().scalingAction("storage", "up");
                return ApiResult.ok("Storage increased by " + gb + " GB for container " + id,
                        data("vm_id", id, "disk_increase_gb", gb, "previous_size", current.config().rootfsSize()));
            }
        });
    }

    /**
     * Refuses to lower a running container's memory limit below what it uses now plus the headroom
     * ({@link MemoryHeadroom}, shared with the model): the kernel would OOM-kill inside it. When the use cannot
     * be read, the decrease is refused too (fail closed).
     */
    private void checkMemoryFloor(ApiCall call, int id, int requestedMb) {
        MemoryUsage.Reading reading = ctx.backend().memoryUse(call, id);
        if (reading instanceof MemoryUsage.NotRunning) {
            return; // not running: nothing can be killed
        }
        if (reading instanceof MemoryUsage.Unknown unknown) {
            throw ApiError.conflict("Refusing to lower memory of container " + id + " to " + requestedMb
                    + " MB: its memory use cannot be read (" + unknown.reason() + ")");
        }
        MemoryUsage.Used used = (MemoryUsage.Used) reading;
        long usedMb = (used.bytes() + MIB - 1) / MIB;
        // tmpfs and shared memory are page cache to the kernel ("file") but cannot be reclaimed without swap
        long heldMb = (Math.max(used.bytes(), used.unreclaimableBytes()) + MIB - 1) / MIB;
        MemoryHeadroom headroom = new MemoryHeadroom(ctx.config().limits().memoryHeadroomPercent(), ctx.config().limits().memoryHeadroomMinMb());
        long floor = headroom.floorMb(heldMb);
        if (requestedMb < floor) {
            String holds = heldMb > usedMb ? "holds " + heldMb + " MB it cannot give back (anon + shmem + kernel)"
                    : "uses " + usedMb + " MB now";
            throw ApiError.conflict("Refusing to set memory of container " + id + " to " + requestedMb + " MB: it " + holds
                    + " and needs at least " + floor + " MB (that + " + (floor - heldMb)
                    + " MB headroom), or processes inside it would be OOM-killed");
        }
    }

    private static boolean unchanged(Entry current, String key, Integer previous, int requested) {
        boolean pendingTouches = current.parsed().pending().containsKey(key) || current.parsed().pendingDeletes().contains(key);
        return previous != null && previous == requested && !pendingTouches;
    }

    private static String direction(Integer previous, int requested) {
        if (previous == null) {
            return "set";
        }
        return requested > previous ? "up" : requested < previous ? "down" : "unchanged";
    }

    private ApiResult counted(String resource, Supplier<ApiResult> action) {
        try {
            return action.get();
        } catch (ApiError e) {
            ctx.metrics().scalingFailure(resource, e.httpStatus());
            throw e;
        }
    }

    static Map<String, Object> data(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
