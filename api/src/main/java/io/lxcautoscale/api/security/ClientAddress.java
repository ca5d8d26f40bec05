package io.lxcautoscale.api.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides which address a request comes from: the socket peer, or — only when the peer is a configured
 * trusted proxy — the right-most untrusted address of {@code X-Forwarded-For}. Addresses are compared in
 * one canonical form, so {@code fd00::1}, {@code fd00:0:0:0:0:0:0:1} and {@code [FD00::1]} are the same proxy.
 */
public final class ClientAddress {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    // an IPv4 or IPv6 literal (optionally with a zone): only these are parsed, so a name is never looked up in DNS
    private static final Pattern LITERAL = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET + "|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[0-9a-zA-Z_.-]+)?");

    private final Set<String> trustedProxies;

    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(ClientAddress::canonical).collect(Collectors.toUnmodifiableSet());
    }

    public String resolve(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !trustedProxies.contains(canonical(peer))) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        // walk from the nearest hop backwards: a client can prepend anything, only proxies we trust append
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            if (!trustedProxies.contains(canonical(hop)) || i == 0) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }

    /** The address as {@link InetAddress} prints it (IPv4-mapped IPv6 as IPv4), or the stripped text if it is no literal. */
    static String canonical(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.length() > 64 || !LITERAL.matcher(a).matches()) {
            return a;
        }
        try {
            return InetAddress.getByName(a).getHostAddress();
        } catch (UnknownHostException e) {
            return a;
        }
    }
}
