package io.lxcautoscale.common.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.CannotRunHere;
import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldFile} on sysfs, as the monitor keeps the veth counters open: a network statistics file read again at
 * offset 0 through the same descriptor shows the current counter. Uses the loopback interface, which every Linux
 * host has; no root needed.
 */
class HeldFileOnSysfsTest {
    private static final Path LO_TX = Path.of("/sys/class/net/lo/statistics/tx_bytes");

    @Test
    void aHeldCounterFileShowsTrafficSentAfterItWasOpened() throws Exception {
        CannotRunHere.unless(Files.isReadable(LO_TX), "no " + LO_TX);
        SmallFileReader reader = new SmallFileReader();
        try (HeldFile held = new HeldFile(new File(LO_TX.toString()), new OpenFileBudget(16));
                DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            long before = number(held, reader);
            assertThat(held.isOpen()).isTrue();
            byte[] payload = new byte[50_000];
            for (int i = 0; i < 4; i++) {
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), socket.getLocalPort()));
            }
            long after = number(held, reader);
            assertThat(after - before).as("4 datagrams of 50,000 bytes went out on lo").isGreaterThanOrEqualTo(200_000);
            assertThat(held.opens()).as("read through the same descriptor").isEqualTo(1);
        }
    }

    private static long number(HeldFile held, SmallFileReader reader) throws Exception {
        int n = held.read(reader);
        assertThat(n).isPositive();
        return ByteText.wholeNumber(reader.buffer(), n);
    }
}
