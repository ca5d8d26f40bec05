package io.lxcautoscale.model.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.json.Json;
import io.lxcautoscale.common.testing.RepositoryFile;
import io.lxcautoscale.model.notify.Notifications;
import io.lxcautoscale.model.notify.NotificationsConfig;
import io.lxcautoscale.model.testing.ExpositionParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana dashboard queries only metrics the daemon's endpoint exports: every metric name in its
 * PromQL (panels and variables) has samples in a scrape of a real endpoint serving fixture data.
 */
class GrafanaDashboardTest {
    private static final String FILE = "packaging/src/grafana/lxc-autoscale-ml.json";
    /** PromQL words that look like names but are not metrics. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "offset",
            "bool", "and", "or", "unless");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private static JsonNode dashboard() throws Exception {
        return Json.mapper().readTree(Files.readString(RepositoryFile.find(FILE)));
    }

    /** Metric names in one PromQL expression, found without knowing which names the daemon has. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")   // string literals
                .replaceAll("\\{[^}]*}", " ")                             // label matchers
                .replaceAll("\\[[^]]*]", " ")                             // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")   // grouping labels
                .replaceAll("\\$[a-zA-Z_]+", " ");                        // dashboard variables
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(s);
        while (m.find()) {
            String word = m.group().replaceAll("[\\s(]", "");
            boolean function = m.group(1) != null;
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    private static List<String> queries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        return out;
    }

    @Test
    void theNameFinderSeesMetricsOnly() {
        assertThat(metricNames("sum by (resource, direction) (increase(lxcas_decisions_total{node=\"$node\",id=~\"a|b\"}[1h])) > 0"))
                .containsExactly("lxcas_decisions_total");
        assertThat(metricNames("topk(10, foo_bytes{x=\"y\"}) / on(id) group_left bar_cores")).containsExactly("bar_cores", "foo_bytes");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExportedByTheEndpoint() throws Exception {
        JsonNode dashboard = dashboard();
        Set<String> used = new TreeSet<>();
        for (String q : queries(dashboard)) {
            used.addAll(metricNames(q));
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
            if (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).hasSizeGreaterThan(10);

        ContainerMetrics fixture = new ContainerMetrics();
        fixture.node("pve1");
        fixture.update("101", new ContainerMetrics.CycleView(new ContainerMetrics.Usage(0.5, 1e8, 0.1, 0.02, 0.0), 2.0, 2e9,
                new ContainerMetrics.Recommendation(1, 1, 4, 5e8, 5e8, 8e9)));
        fixture.oomKills("101", 1);
        fixture.decision("101", "cpu", "down", "applied");
        NotificationsConfig channels = ConfigLoader.parse("fixture.yaml", "notifications: {webhook: {url: 'http://127.0.0.1:9/'}}",
                root -> NotificationsConfig.bind(root.section("notifications"))).config();
        try (Notifications notifications = Notifications.of(channels);
             MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, List.of(fixture, notifications))) {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            ExpositionParser.Scrape scrape = ExpositionParser.parse(body);
            Set<String> withSamples = new HashSet<>();
            scrape.samples().forEach(s -> withSamples.add(s.name()));
            assertThat(withSamples).as("metrics the dashboard queries").containsAll(used);
        }
    }

    @Test
    void theDashboardHasTheNodeAndContainerVariablesAndDistinctPanels() throws Exception {
        JsonNode d = dashboard();
        assertThat(d.path("uid").asText()).isEqualTo("lxc-autoscale-ml");
        List<String> variables = new ArrayList<>();
        d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("node", "vmid");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            assertThat(p.path("gridPos").path("w").asInt()).isBetween(1, 24);
        }
        // every container panel filters on the chosen node and container
        for (String q : queries(d)) {
            assertThat(q).satisfiesAnyOf(x -> assertThat(x).contains("node=\"$node\""), x -> assertThat(x).startsWith("sum by (kind)"),
                    x -> assertThat(x).contains("lxcas_notifications_"));
        }
    }
}
