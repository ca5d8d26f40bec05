package io.lxcautoscale.common.proxmox;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Proxmox node name of this host: the configured one (the API's {@code lxc.node}, the model's {@code cluster.node}),
 * else the short host name ({@code uname -n} up to the first dot), as Proxmox names a node.
 */
public final class NodeName {
    private NodeName() {
    }

    public static String resolve(String configured) {
        if (configured != null) {
            return configured;
        }
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                name = "localhost";
            }
        }
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
