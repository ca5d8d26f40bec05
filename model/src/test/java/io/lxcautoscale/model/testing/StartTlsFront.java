package io.lxcautoscale.model.testing;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * GreenMail's SMTP server offers no STARTTLS, so this test server stands in front of it: it greets, answers
 * EHLO offering STARTTLS, refuses mail before the upgrade (530), upgrades the connection with GreenMail's
 * own test certificate and then relays the TLS-protected conversation, decrypted, to GreenMail's plain SMTP
 * port (GreenMail's greeting is swallowed; the client already had one). Records the TLS protocol negotiated.
 */
public final class StartTlsFront implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;
    private final int upstreamPort;
    private volatile String negotiated;
    private volatile boolean mailRefusedInClear;

    public StartTlsFront(int upstreamPort) throws Exception {
        this.upstreamPort = upstreamPort;
        KeyStore ks = new DummySSLServerSocketFactory().getKeyStore();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "starttls-front");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The TLS protocol of the last upgraded connection (e.g. TLSv1.3), or null when none was upgraded. */
    public String negotiated() {
        return negotiated;
    }

    /** True when a client tried MAIL FROM before STARTTLS. */
    public boolean mailRefusedInClear() {
        return mailRefusedInClear;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                converse(client);
            } catch (IOException e) {
                // next connection, or closed
            }
        }
    }

    private void converse(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        write(out, "220 front ESMTP test\r\n");
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            String cmd = line.toUpperCase(java.util.Locale.ROOT);
            if (cmd.startsWith("EHLO")) {
                write(out, "250-front\r\n250 STARTTLS\r\n");
            } else if (cmd.equals("STARTTLS")) {
                write(out, "220 2.0.0 Ready to start TLS\r\n");
                break;
            } else if (cmd.equals("QUIT")) {
                write(out, "221 bye\r\n");
                return;
            } else {
                mailRefusedInClear |= cmd.startsWith("MAIL");
                write(out, "530 5.7.0 Must issue a STARTTLS command first\r\n");
            }
        }
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        negotiated = secure.getSession().getProtocol();
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            readLine(upstream.getInputStream());   // GreenMail's greeting
            Thread up = new Thread(() -> pump(secure, upstream), "starttls-front-up");
            up.setDaemon(true);
            up.start();
            pump(upstream, secure);
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** One CRLF-terminated line read byte by byte, so nothing after it (the TLS handshake) is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
