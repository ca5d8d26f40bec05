package io.lxcautoscale.api.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's Prometheus metrics, in one registry owned by the server (not the global default, so tests can run
 * several servers in one JVM): requests, {@code pct} calls and scaling actions.
 */
public final class ApiMetrics {
    private static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("lxc_autoscale_api_requests_total")
            .help("HTTP requests by method, route and status code").labelNames("method", "route", "status").register(registry);
    private final Histogram requestSeconds = Histogram.builder().name("lxc_autoscale_api_request_duration_seconds")
            .help("HTTP request latency by method and route").labelNames("method", "route")
            .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    private final Counter pctCalls = Counter.builder().name("lxc_autoscale_api_pct_calls_total")
            .help("Proxmox tool calls by tool, subcommand and outcome (ok, failed, timeout, error)")
            .labelNames("tool", "subcommand", "outcome").register(registry);
    private final Histogram pctSeconds = Histogram.builder().name("lxc_autoscale_api_pct_call_duration_seconds")
            .help("Proxmox tool call latency by tool and subcommand").labelNames("tool", "subcommand")
            .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    private final Counter scaling = Counter.builder().name("lxc_autoscale_scaling_actions_total")
            .help("Applied scaling actions by resource (cpu, memory, swap, storage) and direction (up, down, unchanged)")
            .labelNames("resource", "direction").register(registry);
    private final Counter scalingFailures = Counter.builder().name("lxc_autoscale_scaling_failures_total")
            .help("Refused or failed scaling requests by resource and reason (HTTP status)")
            .labelNames("resource", "reason").register(registry);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public void request(String method, String route, int status, double seconds) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        requestSeconds.labelValues(method, route).observe(seconds);
    }

    public void pctCall(String tool, String subcommand, String outcome, double seconds) {
        pctCalls.labelValues(tool, subcommand, outcome).inc();
        pctSeconds.labelValues(tool, subcommand).observe(seconds);
    }

    public void scalingAction(String resource, String direction) {
        scaling.labelValues(resource, direction).inc();
    }

    public void scalingFailure(String resource, int status) {
        scalingFailures.labelValues(resource, Integer.toString(status)).inc();
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** The registry in the Prometheus text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException("writing metrics to memory failed", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
