package io.lxcautoscale.api.containers;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Proxmox node name of this host: the configured {@code lxc.node}, else the short host name. */
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
