package io.lxcautoscale.sim.pveapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.common.json.Json;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTPS transport of the simulated API with a plain HTTP client: headers, body decoding, error bodies. */
class SimPveApiServerTest {
    private static final String AUTH = "PVEAPIToken=autoscaler@pve!scaler=5c1f3e2a-8b7d-4a7e-9f10-2b3c4d5e6f70";
    private SimPveCluster cluster;
    private SimPveApiServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        SimPveCertificates certificates = SimPveTestCertificates.shared();
        cluster = new SimPveCluster();
        cluster.addNode("pve1", 8, 32L << 30);
        cluster.addNode("pve2", 4, 16L << 30);
        cluster.addContainer(new SimPveContainer(101, "pve1", "web1", "running", 2, 2048, Optional.empty(),
                Optional.empty(), List.of()));
        SimPveAccess access = new SimPveAccess("autoscaler@pve!scaler", "5c1f3e2a-8b7d-4a7e-9f10-2b3c4d5e6f70")
                .grant("/", Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU", "VM.Config.Memory", "VM.Migrate"));
        server = SimPveApiServer.start(new SimPveApi(cluster, access), certificates.serverContext());
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(certificates.caPem())) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .header("Authorization", AUTH).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void successHasTheEnvelopeAndProxmoxHeaders() throws Exception {
        HttpResponse<String> response = send("GET", "/api2/json/cluster/resources?type=node", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Server")).contains("pve-api-daemon/3.0");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json;charset=UTF-8");
        assertThat(response.headers().firstValue("Cache-Control")).contains("max-age=0");
        JsonNode data = Json.mapper().readTree(response.body()).get("data");
        assertThat(data.findValuesAsText("node")).containsExactly("pve1", "pve2");
        assertThat(server.requestCount("GET /api2/json/cluster/resources")).isEqualTo(1);
    }

    @Test
    void jsonBodyWithBooleansAndFormBodyAreBothAccepted() throws Exception {
        HttpResponse<String> form = send("PUT", "/api2/json/nodes/pve1/lxc/101/config",
                "application/x-www-form-urlencoded", "cores=3&memory=3072");
        HttpResponse<String> json = send("POST", "/api2/json/nodes/pve1/lxc/101/migrate", "application/json",
                "{\"target\":\"pve2\",\"restart\":true}");

        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).isEqualTo("{\"data\":null}");
        assertThat(cluster.container(101).orElseThrow().cores()).isEqualTo(3);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(json.body()).get("data").asText()).startsWith("UPID:pve1:");
    }

    @Test
    void queryOverridesTheBody() throws Exception {
        HttpResponse<String> response = send("PUT", "/api2/json/nodes/pve1/lxc/101/config?cores=4",
                "application/x-www-form-urlencoded", "cores=3");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cluster.container(101).orElseThrow().cores()).isEqualTo(4);
    }

    @Test
    void getWithABodyIs501AndOtherContentTypesAre506() throws Exception {
        HttpResponse<String> getWithBody = send("GET", "/api2/json/cluster/resources", "application/json", "{}");
        HttpResponse<String> xml = send("PUT", "/api2/json/nodes/pve1/lxc/101/config", "text/xml", "<cores>3</cores>");

        assertThat(getWithBody.statusCode()).isEqualTo(501);
        assertThat(Json.mapper().readTree(getWithBody.body()).get("message").asText())
                .isEqualTo("Unexpected content for method 'GET'\n");
        assertThat(xml.statusCode()).isEqualTo(506);
        assertThat(cluster.container(101).orElseThrow().cores()).isEqualTo(2);
    }

    @Test
    void offlineNodeAnswers595WithEmptyBodyAndClosesTheConnection() throws Exception {
        cluster.setOnline("pve1", false);

        HttpResponse<String> response = send("GET", "/api2/json/nodes/pve1/lxc/101/config", null, null);

        assertThat(response.statusCode()).isEqualTo(595);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Connection")).contains("close");
    }
}
