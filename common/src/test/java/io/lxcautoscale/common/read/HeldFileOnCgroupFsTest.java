package io.lxcautoscale.common.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.testing.CannotRunHere;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldFile} against the running kernel's cgroup v1 memory controller, in Proxmox's layout
 * ({@code memory/lxc/<vmid>}): what keeping cgroup files open relies on. Needs root and a v1 memory hierarchy
 * (CI has both); elsewhere {@link CannotRunHere} skips it, or fails it under {@code LXCAS_REQUIRE_ALL_TESTS=1}.
 */
class HeldFileOnCgroupFsTest {
    private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");

    @Test
    void aHeldFileSeesNewValuesAndIsReopenedAfterItsCgroupWasRemovedAndRecreated() throws Exception {
        CannotRunHere.unless(Files.exists(MEMORY.resolve("memory.limit_in_bytes")), "no cgroup v1 memory hierarchy at " + MEMORY);
        Path lxc = MEMORY.resolve("lxc");
        Path ct = lxc.resolve("999903");
        boolean createdLxc = false;
        removeQuietly(ct);
        try {
            if (!Files.isDirectory(lxc)) {
                Files.createDirectory(lxc);
                createdLxc = true;
            }
            Files.createDirectory(ct);
        } catch (IOException e) {
            throw CannotRunHere.because("this machine does not let the test create cgroup " + ct + ": " + e);
        }
        Path limitFile = ct.resolve("memory.limit_in_bytes");
        OpenFileBudget budget = new OpenFileBudget();
        SmallFileReader reader = new SmallFileReader();
        try (HeldFile held = new HeldFile(new File(limitFile.toString()), budget);
                FileChannel raw = FileChannel.open(limitFile, StandardOpenOption.READ)) {
            Files.writeString(limitFile, "67108864\n");
            assertThat(number(held, reader)).isEqualTo(64L << 20);
            assertThat(held.isOpen()).isTrue();

            // The same descriptor, read again at offset 0 after the limit changed: the kernel regenerates the text.
            Files.writeString(limitFile, "134217728\n");
            assertThat(number(held, reader)).isEqualTo(128L << 20);
            assertThat(held.opens()).as("no reopen needed for a fresh value").isEqualTo(1);

            // The container stops: its cgroup goes away; an open descriptor then fails with ENODEV.
            Files.delete(ct);
            assertThatThrownBy(() -> raw.read(ByteBuffer.allocate(64), 0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("No such device");
            assertThat(held.read(reader)).as("reopen finds no file").isEqualTo(SmallFileReader.MISSING);
            assertThat(held.isOpen()).isFalse();

            // It starts again under the same VMID: a new cgroup with the same path, read at once.
            Files.createDirectory(ct);
            Files.writeString(limitFile, "33554432\n");
            assertThat(number(held, reader)).isEqualTo(32L << 20);
            assertThat(held.isOpen()).isTrue();

            // Restarted between two reads while the file was held: ENODEV on the old descriptor, the new cgroup is read.
            Files.delete(ct);
            Files.createDirectory(ct);
            Files.writeString(limitFile, "16777216\n");
            assertThat(number(held, reader)).isEqualTo(16L << 20);
            assertThat(held.opens()).isEqualTo(3);
        } finally {
            removeQuietly(ct);
            if (createdLxc) {
                removeQuietly(lxc);
            }
        }
    }

    private static long number(HeldFile held, SmallFileReader reader) throws IOException {
        int n = held.read(reader);
        return Long.parseLong(new String(reader.buffer(), 0, n, StandardCharsets.US_ASCII).strip());
    }

    private static void removeQuietly(Path cgroup) throws InterruptedException {
        for (int attempt = 0; attempt < 20 && Files.isDirectory(cgroup); attempt++) {
            try {
                Files.delete(cgroup);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
    }
}
