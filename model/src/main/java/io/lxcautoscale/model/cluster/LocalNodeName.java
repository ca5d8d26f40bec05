package io.lxcautoscale.model.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This host's Proxmox node name: what {@code uname -n} says, up to the first dot (Proxmox names a node after the
 * short host name; the config files of its containers live in {@code /etc/pve/nodes/<name>/}).
 */
public final class LocalNodeName {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LocalNodeName() {
    }

    /** The configured name when there is one, else this host's short name. */
    public static String resolve(String configured) {
        if (configured != null) {
            return configured;
        }
        String name;
        try {
            name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                throw new IllegalStateException("cannot find this host's name; set cluster.node", e2);
            }
        }
        return shortName(name);
    }

    /** {@code pve1.example.org} → {@code pve1}. */
    static String shortName(String hostName) {
        int dot = hostName.indexOf('.');
        return dot > 0 ? hostName.substring(0, dot) : hostName;
    }
}
