package io.lxcautoscale.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lxcautoscale.common.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON Lines audit trail of every mutating call: one object per line with time, client, key id (a short
 * hash, never the key), method, route, parameters, HTTP status, message and duration.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** One audited call. */
    public record Entry(Instant time, String client, String keyId, String method, String route, Map<String, Object> params,
                        int status, String outcome, String message, long durationMs) {
    }

    private final Path file;
    private final FileChannel channel;

    private AuditLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the file for appending; fails at start-up rather than losing the trail later. */
    public static AuditLog open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Created owner-only: the audit log names clients and key ids, whatever the process umask is.
        FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        return new AuditLog(file, channel);
    }

    /** An audit log that records nothing (audit.enabled: false). */
    public static AuditLog disabled() {
        return new AuditLog(null, null);
    }

    public void record(Entry e) {
        if (channel == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", e.time().toString());
        line.put("client", e.client());
        line.put("key_id", e.keyId());
        line.put("method", e.method());
        line.put("route", e.route());
        line.put("params", e.params());
        line.put("status", e.status());
        line.put("outcome", e.outcome());
        line.put("message", e.message());
        line.put("duration_ms", e.durationMs());
        try {
            byte[] bytes = (Json.mapper().writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            // one write per line under a lock, so concurrent calls never interleave inside a line
            synchronized (this) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (JsonProcessingException ex) {
            LOG.error("cannot encode audit entry for {} {}: {}", e.method(), e.route(), ex.getMessage());
        } catch (IOException ex) {
            LOG.error("cannot append to audit log {}: {}", file, ex.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
