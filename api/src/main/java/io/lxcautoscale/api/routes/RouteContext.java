package io.lxcautoscale.api.routes;

import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.containers.ContainerBackend;
import io.lxcautoscale.api.containers.ContainerDirectory;
import io.lxcautoscale.api.containers.ContainerLocks;
import io.lxcautoscale.api.containers.ProxmoxGateway;
import io.lxcautoscale.api.metrics.ApiMetrics;

/**
 * What route handlers share: configuration, the container backend ({@code pct} or the Proxmox API), the local
 * Proxmox gateway and config directory (for the routes only the {@code pct} backend serves), locks and metrics.
 */
public record RouteContext(ApiConfig config, String nodeName, ContainerBackend backend, ProxmoxGateway proxmox,
                           ContainerDirectory containers, ContainerLocks locks, ApiMetrics metrics) {
}
