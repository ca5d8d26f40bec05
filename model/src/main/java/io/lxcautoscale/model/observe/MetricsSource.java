package io.lxcautoscale.model.observe;

/** Something that writes metric families to a scrape. */
public interface MetricsSource {
    void writeTo(PrometheusText out);
}
