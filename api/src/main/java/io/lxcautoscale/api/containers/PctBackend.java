package io.lxcautoscale.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.common.proxmox.CommandResult;
import io.lxcautoscale.common.proxmox.ContainerStatus;
import io.lxcautoscale.common.proxmox.ListedContainer;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The single-host backend ({@code proxmox.backend: pct}, the default): configs read from this node's
 * {@code /etc/pve/lxc}, changes and run states through the local {@code pct}, node status through {@code pvesh},
 * memory use from the container's cgroup.
 */
public final class PctBackend implements ContainerBackend {
    private static final Duration HEALTH_PCT_TIMEOUT = Duration.ofSeconds(5);

    private final ProxmoxGateway proxmox;
    private final ContainerDirectory containers;
    private final MemoryUsage memory;

    public PctBackend(ProxmoxGateway proxmox, ContainerDirectory containers, MemoryUsage memory) {
        this.proxmox = proxmox;
        this.containers = containers;
        this.memory = memory;
    }

    @Override
    public String name() {
        return "pct";
    }

    @Override
    public Set<String> unsupportedRoutes() {
        return Set.of();
    }

    @Override
    public void requireExists(ApiCall call, int vmid) {
        containers.requireExists(vmid);
    }

    @Override
    public Entry require(ApiCall call, int vmid) {
        return containers.require(vmid);
    }

    @Override
    public Entry requireUnlocked(ApiCall call, int vmid) {
        return containers.requireUnlocked(vmid);
    }

    @Override
    public List<Entry> all(ApiCall call) {
        return containers.all();
    }

    @Override
    public Map<Integer, String> runStates(ApiCall call) {
        Map<Integer, String> running = new HashMap<>();
        // one process for every container's run state, never one per container
        try {
            for (ListedContainer row : ListedContainer.parseList(proxmox.pct(call, "list").stdout())) {
                running.put(row.vmid(), row.status());
            }
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, e.getMessage());
        }
        return running;
    }

    @Override
    public String runState(ApiCall call, int vmid) {
        try {
            return ContainerStatus.parse(proxmox.pct(call, "status", Integer.toString(vmid)).stdout()).status();
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, e.getMessage());
        }
    }

    @Override
    public void setCores(ApiCall call, Entry current, int cores) {
        proxmox.pct(call, "set", Integer.toString(current.config().vmid()), "-cores", Integer.toString(cores));
    }

    @Override
    public void setMemory(ApiCall call, Entry current, int memoryMb) {
        proxmox.pct(call, "set", Integer.toString(current.config().vmid()), "-memory", Integer.toString(memoryMb));
    }

    @Override
    public void setSwap(ApiCall call, Entry current, int swapMb) {
        proxmox.pct(call, "set", Integer.toString(current.config().vmid()), "-swap", Integer.toString(swapMb));
    }

    @Override
    public MemoryUsage.Reading memoryUse(ApiCall call, int vmid) {
        return memory.read(vmid);
    }

    @Override
    public JsonNode nodeStatus(ApiCall call, String node) {
        return proxmox.pveshGet(call, "/nodes/" + node + "/status");
    }

    @Override
    public JsonNode clusterStatus(ApiCall call) {
        return proxmox.pveshGet(call, "/cluster/status");
    }

    @Override
    public Map<String, Object> healthChecks(ApiCall call) {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("lxc_commands", pctCheck(call));
        boolean dirOk = Files.isDirectory(containers.dir()) && Files.isReadable(containers.dir());
        checks.put("config_dir", ContainerBackend.check(dirOk, dirOk ? "ok" : containers.dir() + " is not a readable directory"));
        return checks;
    }

    private Map<String, Object> pctCheck(ApiCall call) {
        String pct = proxmox.tools().pct().toString();
        if (!Files.isExecutable(proxmox.tools().pct())) {
            return ContainerBackend.check(false, pct + " is not an executable file");
        }
        try {
            CommandResult r = proxmox.pctUnchecked(call, HEALTH_PCT_TIMEOUT, "list");
            if (r.exitCode() != 0) {
                return ContainerBackend.check(false, "pct list exited " + r.exitCode() + ": " + r.stderr().strip());
            }
            return ContainerBackend.check(true, "ok");
        } catch (ApiError e) {
            return ContainerBackend.check(false, e.getMessage());
        }
    }
}
