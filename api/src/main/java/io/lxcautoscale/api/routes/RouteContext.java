package io.lxcautoscale.api.routes;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.containers.ContainerDirectory;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.containers.MemoryUsage;
import io.lxcautoscale.api.containers.ProxmoxGateway;
import io.lxcautoscale.api.metrics.ApiMetrics;

/** What route handlers share: configuration, the Proxmox gateway, the config directory, locks and metrics. */
public record RouteContext(ApiConfig config, String nodeName, ProxmoxGateway proxmox, ContainerDirectory containers,
                           ContainerLocks locks, MemoryUsage memory, ApiMetrics metrics) {
}
