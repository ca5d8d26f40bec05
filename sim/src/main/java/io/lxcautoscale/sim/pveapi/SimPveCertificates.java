package io.lxcautoscale.sim.pveapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away certificate authority and one node certificate signed by it, made with the JDK's {@code keytool}
 * the way Proxmox sets up a cluster: {@code pve-root-ca.pem} signs each node's certificate, whose subject
 * alternative names cover {@code localhost} and {@code 127.0.0.1}.
 *
 * @param caPem       the CA certificate in PEM form (what a client trusts, like {@code /etc/pve/pve-root-ca.pem})
 * @param nodeKeyStore PKCS#12 store holding the node's key and its chain (node certificate, CA)
 * @param nodePem     the node certificate in PEM form
 */
public record SimPveCertificates(Path caPem, Path nodeKeyStore, Path nodePem, char[] password) {
    private static final String STORE_PASSWORD = "simulated-pve";

    /** Creates a CA named {@code caName} and a node certificate for {@code nodeName} in {@code dir}. */
    public static SimPveCertificates create(Path dir, String caName, String nodeName) {
        Path caStore = dir.resolve("ca.p12");
        Path caPem = dir.resolve("pve-root-ca.pem");
        Path nodeStore = dir.resolve("node.p12");
        Path csr = dir.resolve("node.csr");
        Path nodePem = dir.resolve("pve-ssl.pem");
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=" + caName + ",OU=simulated,O=Simulated Proxmox", "-ext", "bc:c",
                "-keystore", caStore.toString());
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", caPem.toString());
        keytool(dir, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=" + nodeName + ",OU=PVE Cluster Node,O=Proxmox Virtual Environment",
                "-keystore", nodeStore.toString());
        keytool(dir, "-certreq", "-alias", "node", "-keystore", nodeStore.toString(), "-file", csr.toString());
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
                "-outfile", nodePem.toString(), "-validity", "30",
                "-ext", "san=ip:127.0.0.1,ip:::1,dns:localhost,dns:" + nodeName);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", nodeStore.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "node", "-file", nodePem.toString(), "-keystore", nodeStore.toString());
        return new SimPveCertificates(caPem, nodeStore, nodePem, STORE_PASSWORD.toCharArray());
    }

    /** The node certificate, as a client would see it in the TLS handshake. */
    public X509Certificate nodeCertificate() {
        try (InputStream in = Files.newInputStream(nodePem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + nodePem, e);
        }
    }

    /** A server-side TLS context presenting the node certificate. */
    public SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(nodeKeyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + nodeKeyStore, e);
        }
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed (exit " + process.exitValue()
                        + "): " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
