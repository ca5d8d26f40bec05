package io.lxcautoscale.api.security;

import java.util.List;
import java.util.Set;

/**
 * Decides which address a request comes from: the socket peer, or — only when the peer is a configured
 * trusted proxy — the right-most untrusted address of {@code X-Forwarded-For}.
 */
public final class ClientAddress {
    private final Set<String> trustedProxies;

    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String resolve(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !trustedProxies.contains(normalise(peer))) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        // walk from the nearest hop backwards: a client can prepend anything, only proxies we trust append
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            if (!trustedProxies.contains(normalise(hop)) || i == 0) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }

    private static String normalise(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        return a.equals("0:0:0:0:0:0:0:1") ? "::1" : a;
    }
}
