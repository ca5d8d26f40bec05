package io.lxcautoscale.common.metrics;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

/** Decodes each snapshot into a {@link Snapshot} (a JSON tree) for a {@code Consumer<Snapshot>}. */
final class SnapshotTreeDecoder implements SnapshotDecoder {
    private final JsonObjectDecoder objects;

    SnapshotTreeDecoder(Consumer<Snapshot> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        this.objects = new JsonObjectDecoder(object -> consumer.accept(Snapshot.fromJson(object)));
    }

    @Override
    public void parse(byte[] bytes, int offset, int length) throws IOException {
        objects.parse(bytes, offset, length);
    }

    @Override
    public void deliver() {
        objects.deliver();
    }
}
