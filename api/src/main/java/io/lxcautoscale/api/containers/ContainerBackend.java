package io.lxcautoscale.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.containers.ContainerDirectory.Entry;
import io.lxcautoscale.api.http.ApiCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the API reads and changes containers: through the local {@code pct}/{@code pvesh} ({@link PctBackend}, this
 * node's containers) or through the Proxmox REST API ({@link PveApiBackend}, a container on any node of the cluster).
 * Every failure is an {@link io.lxcautoscale.api.http.ApiError} with the HTTP answer (404 unknown container, 409
 * locked, 403 missing privilege, 503 node unreachable, ...).
 */
public interface ContainerBackend {
    /** The {@code proxmox.backend} value of this backend ({@code pct} or {@code api}), named in answers and logs. */
    String name();

    /** The routes ({@code "POST /snapshot/create"}) this backend does not serve; they answer 501. */
    Set<String> unsupportedRoutes();

    /** 404 unless the container exists; cheap, done before taking the container's lock. */
    void requireExists(ApiCall call, int vmid);

    /** The container's current configuration, or 404. */
    Entry require(ApiCall call, int vmid);

    /** The configuration, or 409 when Proxmox holds a lock on it (backup, snapshot, migrate, ...). */
    Entry requireUnlocked(ApiCall call, int vmid);

    /** Every container of this node with its configuration, sorted by VMID; an unreadable one is logged and left out. */
    List<Entry> all(ApiCall call);

    /** The run state ({@code running}, {@code stopped}) of every container of this node, by VMID. */
    Map<Integer, String> runStates(ApiCall call);

    /** The run state of one container, asked live. */
    String runState(ApiCall call, int vmid);

    /** Sets {@code cores}; {@code current} is the configuration the caller decided on (read under its lock). */
    void setCores(ApiCall call, Entry current, int cores);

    /** Sets {@code memory} in MB. */
    void setMemory(ApiCall call, Entry current, int memoryMb);

    /** Sets {@code swap} in MB. */
    void setSwap(ApiCall call, Entry current, int swapMb);

    /** The container's memory use, for the floor under a decrease. */
    MemoryUsage.Reading memoryUse(ApiCall call, int vmid);

    /** A node's status, at least {@code cpuinfo.cpus} and {@code memory.total}; 404 for a node not in the cluster. */
    JsonNode nodeStatus(ApiCall call, String node);

    /** The cluster's status as {@code GET /cluster/status} gives it (its members, quorum, which node answered). */
    JsonNode clusterStatus(ApiCall call);

    /** The health checks of this backend, each {@code name → {ok, detail}}. */
    Map<String, Object> healthChecks(ApiCall call);

    /** One health check's answer, {@code {ok, detail}}. */
    static Map<String, Object> check(boolean ok, String detail) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("ok", ok);
        check.put("detail", detail);
        return check;
    }
}
