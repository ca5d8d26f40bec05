package io.lxcautoscale.api.containers;

import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.common.proxmox.ContainerConfig;
import io.lxcautoscale.common.proxmox.PctConfig;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container configs of this node read straight from {@code /etc/pve/lxc/<vmid>.conf} (path
 * configurable): existence, lock state and current values without forking {@code pct config}.
 */
public final class ContainerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerDirectory.class);
    private static final Pattern CONF_NAME = Pattern.compile("^([0-9]{3,9})\\.conf$");

    /** A parsed config file: the raw sections and the typed view. */
    public record Entry(Path file, PctConfig parsed, ContainerConfig config) {
    }

    private final Path dir;

    public ContainerDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(int vmid) {
        return dir.resolve(vmid + ".conf");
    }

    public boolean exists(int vmid) {
        return Files.isRegularFile(file(vmid));
    }

    /** 404 unless this node has the container; a cheap check (one stat) before taking its lock. */
    public void requireExists(int vmid) {
        if (!exists(vmid)) {
            throw ApiError.notFound("Container " + vmid + " does not exist on this node");
        }
    }

    /** The container's config, or 404 when this node has no such container. */
    public Entry require(int vmid) {
        Path file = file(vmid);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ApiError.notFound("Container " + vmid + " does not exist on this node");
        } catch (IOException e) {
            throw new ApiError(502, "Cannot read " + file + ": " + e.getMessage());
        }
        try {
            PctConfig parsed = PctConfig.parse(file.toString(), text);
            return new Entry(file, parsed, ContainerConfig.from(vmid, file.toString(), parsed));
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, "Cannot parse " + e.getMessage());
        }
    }

    /** The config, or 409 when Proxmox holds a lock on it (backup, snapshot, migrate, ...). */
    public Entry requireUnlocked(int vmid) {
        Entry entry = require(vmid);
        String lock = entry.config().lock();
        if (lock != null) {
            throw ApiError.conflict("Container " + vmid + " is locked (" + lock + "); try again when the "
                    + lock + " operation has finished");
        }
        return entry;
    }

    /** Every readable container config, sorted by VMID; a config that cannot be parsed is logged and skipped. */
    public List<Entry> all() {
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = CONF_NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new ApiError(502, "Cannot list " + dir + ": " + e.getMessage());
        }
        ids.sort(null);
        List<Entry> entries = new ArrayList<>();
        for (int id : ids) {
            try {
                entries.add(require(id));
            } catch (ApiError e) {
                // one broken or vanished file must not hide every other container from the model
                LOG.warn("skipping container {}: {}", id, e.getMessage());
            }
        }
        return entries;
    }
}
