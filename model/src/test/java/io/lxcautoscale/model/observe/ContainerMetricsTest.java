package io.lxcautoscale.model.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.model.testing.ExpositionParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerMetricsTest {
    private static ContainerMetrics twoContainers() {
        ContainerMetrics m = new ContainerMetrics();
        m.node("pve1");
        m.update("101", new ContainerMetrics.CycleView(new ContainerMetrics.Usage(1.5, 600 * 1048576.0, 0.25, 0.125, 0.0),
                2.0, 2048 * 1048576.0, new ContainerMetrics.Recommendation(3, 1, 4, 1024 * 1048576.0, 512 * 1048576.0, 8192 * 1048576.0)));
        m.update("102", new ContainerMetrics.CycleView(null, 4.0, 4096 * 1048576.0, null));
        m.oomKills("101", 2);
        m.decision("101", "cpu", "up", "applied");
        m.decision("101", "cpu", "up", "applied");
        m.decision("101", "memory", "down", "failed");
        return m;
    }

    private static ExpositionParser.Scrape scrape(MetricsSource... sources) {
        PrometheusText out = new PrometheusText();
        for (MetricsSource s : sources) {
            s.writeTo(out);
        }
        return ExpositionParser.parse(out.text());
    }

    @Test
    void everySeriesCarriesThePveExporterLabelsAndBaseUnits() {
        ExpositionParser.Scrape s = scrape(twoContainers());
        assertThat(s.value("lxcas_container_cpu_used_cores", "id", "lxc/101", "node", "pve1")).isEqualTo(1.5);
        assertThat(s.value("lxcas_container_memory_used_bytes", "id", "lxc/101")).isEqualTo(629_145_600.0);   // 600 MiB
        assertThat(s.value("lxcas_container_cpu_allocated_cores", "id", "lxc/102")).isEqualTo(4.0);
        assertThat(s.value("lxcas_container_memory_allocated_bytes", "id", "lxc/102")).isEqualTo(4_294_967_296.0);
        assertThat(s.value("lxcas_container_cpu_throttled_ratio", "id", "lxc/101")).isEqualTo(0.25);
        assertThat(s.value("lxcas_container_cpu_pressure_ratio", "id", "lxc/101")).isEqualTo(0.125);
        assertThat(s.value("lxcas_recommendation_target_cores", "id", "lxc/101")).isEqualTo(3.0);
        assertThat(s.value("lxcas_recommendation_lower_bound_cores", "id", "lxc/101")).isEqualTo(1.0);
        assertThat(s.value("lxcas_recommendation_upper_bound_cores", "id", "lxc/101")).isEqualTo(4.0);
        assertThat(s.value("lxcas_recommendation_target_bytes", "id", "lxc/101")).isEqualTo(1_073_741_824.0);
        assertThat(s.value("lxcas_recommendation_upper_bound_bytes", "id", "lxc/101")).isEqualTo(8_589_934_592.0);
        assertThat(s.value("lxcas_container_oom_kills_total", "id", "lxc/101")).isEqualTo(2.0);
        assertThat(s.value("lxcas_container_oom_kills_total", "id", "lxc/102")).isEqualTo(0.0);
        assertThat(s.value("lxcas_decisions_total", "id", "lxc/101", "resource", "cpu", "direction", "up", "outcome", "applied")).isEqualTo(2.0);
        assertThat(s.value("lxcas_decisions_total", "id", "lxc/101", "resource", "memory", "direction", "down", "outcome", "failed")).isEqualTo(1.0);
        // unknown usage and no recommendation: no sample rather than a made-up one
        assertThat(s.of("lxcas_container_cpu_used_cores")).extracting(ExpositionParser.Sample::labels)
                .extracting(l -> l.get("id")).containsExactly("lxc/101");
        assertThat(s.of("lxcas_recommendation_target_cores")).hasSize(1);
        assertThat(s.samples()).allSatisfy(x -> {
            assertThat(x.labels()).containsEntry("node", "pve1");
            assertThat(x.label("id")).matches("lxc/[0-9]+");
        });
        assertThat(s.types()).containsEntry("lxcas_decisions_total", "counter").containsEntry("lxcas_container_oom_kills_total", "counter")
                .containsEntry("lxcas_container_cpu_used_cores", "gauge");
        assertThat(s.help()).allSatisfy((name, help) -> assertThat(help).isNotBlank());
    }

    @Test
    void aContainerThatGoesTakesAllItsSeriesWithIt() {
        ContainerMetrics m = twoContainers();
        int before = scrape(m).samples().size();
        m.retain(List.of("102"));
        ExpositionParser.Scrape s = scrape(m);
        assertThat(s.samples()).noneMatch(x -> x.label("id").equals("lxc/101"));
        // 101 had 7 gauges + 6 recommendation gauges + 1 OOM counter + 2 decision series
        assertThat(before - s.samples().size()).isEqualTo(16);
        assertThat(m.containers()).containsExactly("102");
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        PrometheusText out = new PrometheusText();
        out.family("x_total", "counter", "back\\slash and\nnew line");
        out.sample(1, "a", "quote\" back\\ nl\n");
        ExpositionParser.Scrape s = ExpositionParser.parse(out.text());
        assertThat(s.samples().get(0).label("a")).isEqualTo("quote\" back\\ nl\n");
        assertThat(out.text()).contains("# HELP x_total back\\\\slash and\\nnew line\n");
    }

    @Test
    void namingRulesAreEnforced() {
        assertThatThrownBy(() -> new PrometheusText().family("oom_kills", "counter", "h")).hasMessageContaining("_total");
        assertThatThrownBy(() -> new PrometheusText().family("used_total", "gauge", "h")).hasMessageContaining("_total");
        assertThatThrownBy(() -> new PrometheusText().family("1bad", "gauge", "h")).hasMessageContaining("not a metric name");
        PrometheusText twice = new PrometheusText().family("a", "gauge", "h");
        assertThatThrownBy(() -> twice.family("a", "gauge", "h")).hasMessageContaining("twice");
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(3.0)).isEqualTo("3");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
    }

    @Test
    void theEndpointServesTheTextFormatOverHttp() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, List.of(twoContainers()))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(ExpositionParser.parse(r.body()).value("lxcas_container_cpu_used_cores", "id", "lxc/101")).isEqualTo(1.5);
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
