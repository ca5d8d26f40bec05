package io.lxcautoscale.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.api.audit.AuditLog;
import io.lxcautoscale.api.config.ApiConfig;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.api.security.ApiKeys;
import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which routes {@code authentication.open_routes} may open, and the roles each route gets from it. */
class RequestPipelineTest {
    private static final RouteHandler NOTHING = call -> ApiResult.ok("", null);
    private static final RouteDef INDEX = new RouteDef("GET", "/", "index", List.of(), false, false, "", NOTHING).unmeteredRoute();
    private static final RouteDef HEALTH = new RouteDef("GET", "/health/check", "health", List.of(), false, false, "", NOTHING);
    private static final RouteDef LIST = new RouteDef("GET", "/snapshot/list", "list", List.of(), false, false, "", NOTHING);
    private static final RouteDef CORES = new RouteDef("POST", "/scale/cores", "cores", List.of(), true, false, "", NOTHING);
    // one path, two methods: reading is harmless, deleting is not
    private static final RouteDef THING_GET = new RouteDef("GET", "/thing", "read", List.of(), false, false, "", NOTHING);
    private static final RouteDef THING_DELETE = new RouteDef("DELETE", "/thing", "delete", List.of(), true, false, "", NOTHING);
    private static final List<RouteDef> ROUTES = List.of(INDEX, HEALTH, LIST, CORES, THING_GET, THING_DELETE);

    @Test
    void readOnlyRoutesCanBeOpened() {
        assertThat(RequestPipeline.openPaths(ROUTES, List.of("/", "/health/check", "/snapshot/list"), "api.yaml"))
                .containsExactlyInAnyOrder("/", "/health/check", "/snapshot/list");
        assertThat(RequestPipeline.openPaths(ROUTES, List.of(), "api.yaml")).isEmpty();
    }

    @Test
    void aMutatingRouteCanNeverBeOpenedByConfig() {
        assertThatThrownBy(() -> RequestPipeline.openPaths(ROUTES, List.of("/health/check", "/scale/cores"), "/etc/api.yaml"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "/etc/api.yaml: authentication.open_routes: '/scale/cores' changes containers (POST /scale/cores)"
                                + " and always needs an API key; only read-only routes can be open"));
    }

    @Test
    void aPathWithAnyMutatingMethodCannotBeOpened() {
        assertThatThrownBy(() -> RequestPipeline.openPaths(ROUTES, List.of("/thing"), "api.yaml"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("api.yaml: authentication.open_routes: '/thing' changes containers (DELETE /thing)"));
    }

    @Test
    void anUnknownPathIsRejectedAndEveryProblemIsListed() {
        assertThatThrownBy(() -> RequestPipeline.openPaths(ROUTES, List.of("/healthcheck", "/scale/cores", "/snapshot/list/"), "api.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid configuration api.yaml")
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "api.yaml: authentication.open_routes: '/healthcheck' is not a route of this API; routes: "
                                + "/, /health/check, /scale/cores, /snapshot/list, /thing",
                        "api.yaml: authentication.open_routes: '/scale/cores' changes containers (POST /scale/cores)"
                                + " and always needs an API key; only read-only routes can be open",
                        "api.yaml: authentication.open_routes: '/snapshot/list/' is not a route of this API; routes: "
                                + "/, /health/check, /scale/cores, /snapshot/list, /thing"));
    }

    @Test
    void rolesComeFromTheOpenRoutesAndTheRoute() {
        RequestPipeline pipeline = pipeline("authentication: {open_routes: [/, /thing]}\n", List.of(INDEX, HEALTH, CORES, THING_GET));
        assertThat(pipeline.roles(INDEX)).containsExactlyInAnyOrder(ApiRole.OPEN, ApiRole.UNMETERED);
        assertThat(pipeline.roles(THING_GET)).containsExactly(ApiRole.OPEN);
        assertThat(pipeline.roles(HEALTH)).as("not listed: needs a key, rate limited").isEmpty();
        assertThat(pipeline.roles(CORES)).isEmpty();
    }

    @Test
    void theConfiguredOpenRoutesAreCheckedWhenThePipelineIsBuilt() {
        assertThatThrownBy(() -> pipeline("authentication: {open_routes: [/, /scale/cores]}\n", ROUTES))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipeline.yaml: authentication.open_routes: '/scale/cores' changes containers");
    }

    private static RequestPipeline pipeline(String yaml, List<RouteDef> routes) {
        ApiConfig config = ConfigLoader.parse("pipeline.yaml", yaml, ApiConfig::bind).config();
        return new RequestPipeline(config, "pipeline.yaml", routes, () -> ApiKeys.of(List.of()), AuditLog.disabled(), new ApiMetrics());
    }
}
