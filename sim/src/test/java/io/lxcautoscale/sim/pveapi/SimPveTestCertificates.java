package io.lxcautoscale.sim.pveapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One simulated cluster CA and node certificate per test JVM (keytool takes seconds), removed when the JVM exits. */
final class SimPveTestCertificates {
    private static SimPveCertificates shared;

    private SimPveTestCertificates() {
    }

    static synchronized SimPveCertificates shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("sim-pve-certs");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                shared = SimPveCertificates.create(dir, "Simulated Proxmox CA", "pve1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
