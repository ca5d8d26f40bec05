package io.lxcautoscale.model.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A TCP server that accepts every connection and then neither reads nor answers: a hanging HTTP or SMTP peer. */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);

    public SilentServer() throws IOException {
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(server.accept());
                    connected.countDown();
                }
            } catch (IOException e) {
                // closed
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits up to 30 s for a first connection; true when one came. */
    public boolean awaitConnection() throws InterruptedException {
        return connected.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
