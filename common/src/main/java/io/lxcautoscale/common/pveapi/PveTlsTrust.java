package io.lxcautoscale.common.pveapi;

import io.lxcautoscale.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client verifies the Proxmox API host's certificate: against the cluster CA (the PEM file
 * {@code /etc/pve/pve-root-ca.pem}, with host name checking) or by the SHA-256 fingerprint of the host's own
 * certificate (as Proxmox's own client does, without host name checking). There is no "verify off".
 */
public final class PveTlsTrust {
    private final SSLContext context;
    private final String description;

    private PveTlsTrust(SSLContext context, String description) {
        this.context = context;
        this.description = description;
    }

    /** Trusts certificates signed by the CA(s) in the PEM file. */
    public static PveTlsTrust caFile(Path pemFile) {
        List<Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException | CertificateException e) {
            throw new ConfigException(pemFile.toString(), List.of("cannot read CA certificate file: " + e.getMessage()));
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(pemFile.toString(), List.of("CA certificate file holds no PEM certificate"));
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            return new PveTlsTrust(context(factory.getTrustManagers()), "CA " + pemFile);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust from " + pemFile, e);
        }
    }

    /**
     * Trusts exactly the certificate with this SHA-256 fingerprint (hex, with or without colons, any case; the form
     * {@code pvenode cert info} prints and {@code GET /nodes} returns as {@code ssl_fingerprint}).
     */
    public static PveTlsTrust pinnedFingerprint(String fingerprint) {
        String hex = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("certificate fingerprint '" + fingerprint
                    + "' is not a SHA-256 fingerprint (64 hex digits, colons optional)");
        }
        byte[] pinned = HexFormat.of().parseHex(hex);
        return new PveTlsTrust(context(new TrustManager[] {new PinnedTrustManager(pinned)}), "pinned SHA-256 " + fingerprint);
    }

    /** The SHA-256 fingerprint of a certificate in Proxmox's format: uppercase hex pairs joined by colons. */
    public static String fingerprintOf(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("cannot compute certificate fingerprint", e);
        }
    }

    SSLContext sslContext() {
        return context;
    }

    @Override
    public String toString() {
        return description;
    }

    private static SSLContext context(TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /** Accepts a server whose leaf certificate has the pinned fingerprint; nothing else. */
    private static final class PinnedTrustManager extends X509ExtendedTrustManager {
        private final byte[] pinned;

        PinnedTrustManager(byte[] pinned) {
            this.pinned = pinned.clone();
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server sent no certificate");
            }
            byte[] actual;
            try {
                actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            if (!MessageDigest.isEqual(actual, pinned)) {
                throw new CertificateException("server certificate fingerprint " + fingerprintOf(chain[0])
                        + " is not the pinned fingerprint " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(pinned));
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
