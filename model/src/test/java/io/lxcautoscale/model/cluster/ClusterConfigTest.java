package io.lxcautoscale.model.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.proxmox.NodeName;
import io.lxcautoscale.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    private static ClusterConfig parse(String yaml) {
        return ConfigLoader.parse("ml.yaml", yaml, ModelConfig::bind).config().cluster();
    }

    private static void rejected(String yaml, String key, String why) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ml.yaml").hasMessageContaining("'" + key + "'").hasMessageContaining(why);
    }

    @Test
    void offByDefaultWithTheLocalApiAndTheClusterCa() {
        ClusterConfig c = parse("{}");
        assertThat(c.enabled()).isFalse();
        assertThat(c.node()).isNull();
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.port()).isEqualTo(8006);
        assertThat(c.tokenFile()).isEqualTo(Path.of("/etc/lxc_autoscale_ml/pve_api_token"));
        assertThat(c.caFile()).isEqualTo(Path.of("/etc/pve/pve-root-ca.pem"));
        assertThat(c.fingerprint()).isNull();
        assertThat(c.scaleHaManaged()).isTrue();
        assertThat(c.noMigrateTag()).isEqualTo("autoscale-no-migrate");
        assertThat(c.migration()).isEqualTo(new ClusterConfig.Migration(false, null, 1, 3600));
    }

    @Test
    void migrationsNeedAWindowOfTwoDifferentTimes() {
        ClusterConfig c = parse("cluster: {migrate: true, maintenance_window: '23:30-01:15', max_migrations_per_window: 3, "
                + "migration_timeout_seconds: 600}");
        assertThat(c.migration().enabled()).isTrue();
        assertThat(c.migration().window()).isEqualTo(new MaintenanceWindow(java.time.LocalTime.of(23, 30), java.time.LocalTime.of(1, 15)));
        assertThat(c.migration().maxPerWindow()).isEqualTo(3);
        assertThat(c.migration().taskTimeoutSeconds()).isEqualTo(600);
        rejected("cluster: {migrate: true}", "cluster.maintenance_window", "when cluster.migrate is true");
        rejected("cluster: {maintenance_window: '02:00-02:00'}", "cluster.maintenance_window", "two different times");
        rejected("cluster: {maintenance_window: '2-4'}", "cluster.maintenance_window", "HH:MM-HH:MM");
        rejected("cluster: {max_migrations_per_window: 0}", "cluster.max_migrations_per_window", "");
        rejected("cluster: {migration_timeout_seconds: 5}", "cluster.migration_timeout_seconds", "");
    }

    @Test
    void readsTheApiUrlsHostAndPort() {
        String fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
        ClusterConfig c = parse("cluster: {enabled: true, api_url: 'https://pve2.example.org:8443/api2/json', node: pve1, "
                + "scale_ha_managed: false, fingerprint: '" + fingerprint + "'}");
        assertThat(c.enabled()).isTrue();
        assertThat(c.host()).isEqualTo("pve2.example.org");
        assertThat(c.port()).isEqualTo(8443);
        assertThat(c.node()).isEqualTo("pve1");
        assertThat(c.scaleHaManaged()).isFalse();
        assertThat(c.fingerprint()).isEqualTo(fingerprint);
        assertThat(parse("cluster: {api_url: 'https://10.0.0.2'}").port()).isEqualTo(8006);
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        rejected("cluster: {api_url: 'http://pve1:8006'}", "cluster.api_url", "https://");
        rejected("cluster: {api_url: 'https://pve1:8006/other'}", "cluster.api_url", "https://");
        rejected("cluster: {fingerprint: 'AB:CD'}", "cluster.fingerprint", "64 hex digits");
        rejected("cluster: {node: 'pve 1'}", "cluster.node", "node name");
        rejected("cluster: {scale_ha_managed: maybe}", "cluster.scale_ha_managed", "");
        rejected("cluster: {enabled: 1}", "cluster.enabled", "");
        rejected("cluster: {timeout_seconds: 0}", "cluster.timeout_seconds", "");
        rejected("cluster: {no_migrate_tag: 'no migrate'}", "cluster.no_migrate_tag", "tag");
    }

    @Test
    void unreadableTokenOrCaFilesAreConfigErrorsNamingTheKeyAndTheFile(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        String base = "cluster: {enabled: true, token_file: '" + token + "', ca_file: '" + dir.resolve("ca.pem") + "'}";
        assertThatThrownBy(() -> PveClusterSource.of(parse(base), "ml.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ml.yaml: key 'cluster.token_file' names " + token);
        Files.writeString(token, "autoscaler@pve!scaler=0b6bd3c4-7f2e-4c5e-9d8a-1a2b3c4d5e6f\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> PveClusterSource.of(parse(base), "ml.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'cluster.token_file'").hasMessageContaining("0600");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> PveClusterSource.of(parse(base), "ml.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ml.yaml: key 'cluster.ca_file' names " + dir.resolve("ca.pem"));
    }

    @Test
    void theNodeNameIsTheConfiguredOneOrThisHostsShortName() {
        assertThat(NodeName.resolve("pve7")).isEqualTo("pve7");
        assertThat(NodeName.resolve(null)).isNotBlank().doesNotContain(".");
    }

    @Test
    void historyFollowsByDefaultFromEachNodesApiOnPort5000WithPerNodeExceptions() {
        ClusterConfig.PeerHistory d = parse("{}").history();
        assertThat(d.follow()).isTrue();
        assertThat(d.apiUrl("pve2")).isEqualTo("http://pve2:5000");
        ClusterConfig.PeerHistory h = parse("cluster: {peer_api_url: 'https://{node}.lan:5443/', peer_api_urls: ['pve3=http://10.0.0.13:5000/'],"
                + " follow_history: false}").history();
        assertThat(h.follow()).isFalse();
        assertThat(h.apiUrl("pve2")).isEqualTo("https://pve2.lan:5443");
        assertThat(h.apiUrl("pve3")).isEqualTo("http://10.0.0.13:5000");
    }

    @Test
    void aPeerUrlWithoutTheNodeOrAnEntryThatIsNotNodeEqualsUrlIsNamed() {
        rejected("cluster: {peer_api_url: 'http://pve1:5000'}", "cluster.peer_api_url", "with {node} where the node's name goes");
        rejected("cluster: {peer_api_url: 'ftp://{node}:5000'}", "cluster.peer_api_url", "an http:// or https:// URL");
        rejected("cluster: {peer_api_urls: ['pve2 http://x:5000']}", "cluster.peer_api_urls", "NODE=URL");
        rejected("cluster: {peer_api_urls: ['pve2=x:5000']}", "cluster.peer_api_urls", "NODE=URL");
        rejected("cluster: {peer_api_urls: ['pve2=http://a:5000', 'pve2=http://b:5000']}", "cluster.peer_api_urls",
                "pve2 is listed twice");
    }
}
