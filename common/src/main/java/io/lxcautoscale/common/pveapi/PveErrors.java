package io.lxcautoscale.common.pveapi;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed Proxmox API response into the matching typed exception. Proxmox signals most handler errors as
 * HTTP 500 with the reason in {@code message}, so the message text decides between locked, digest conflict and
 * missing config. The HTTP reason phrase is not used (Java's HTTP client does not expose it); the body is.
 */
final class PveErrors {
    private static final Pattern PERMISSION = Pattern.compile("Permission check failed \\(([^,]+), ([^)]+)\\)");
    private static final Pattern LOCKED = Pattern.compile("is locked \\(([^)]+)\\)");

    private PveErrors() {
    }

    /**
     * @param request     e.g. {@code PUT /nodes/pve1/lxc/101/config}, for the message
     * @param routedNode  the {@code {node}} of the path, if the request is routed to a node
     * @param message     Proxmox's {@code message} (may be empty: 401 and 595 have no body)
     */
    static PveApiException fromResponse(String request, Optional<String> routedNode, int status, String message) {
        return fromResponse(request, routedNode, status, message, Map.of());
    }

    /** @param errors the per-parameter {@code errors} of a 400 answer (empty otherwise) */
    static PveApiException fromResponse(String request, Optional<String> routedNode, int status, String message,
                                        Map<String, String> errors) {
        String text = message.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (status == 401) {
            return new PveAuthFailedException(request + ": authentication failed (HTTP 401): the API token was rejected"
                    + " (unknown token id, wrong secret, expired token or disabled user)");
        }
        if (status == 403) {
            Matcher m = PERMISSION.matcher(text);
            String path = m.find() ? m.group(1) : "";
            String privilege = path.isEmpty() ? "" : m.group(2);
            return new PvePermissionDeniedException(request + ": missing privilege (HTTP 403): " + text, path, privilege);
        }
        if (status == 595 || status == 596) {
            String node = routedNode.orElse("?");
            String reason = text.isEmpty() ? (status == 595 ? "connection to the node failed" : "TLS or request to the node failed") : text;
            return new PveNodeUnreachableException(status, node, request + ": node '" + node + "' is unreachable (HTTP "
                    + status + ": " + reason + ")", null);
        }
        if (status == 500) {
            Matcher m = LOCKED.matcher(text);
            if (m.find()) {
                return new PveLockedException(request + ": " + text, m.group(1));
            }
            if (lower.startsWith("detected modified configuration")) {
                return new PveDigestConflictException(request + ": config changed since it was read: " + text);
            }
            if (lower.startsWith("configuration file") && lower.endsWith("does not exist")) {
                return new PveConfigNotFoundException(request + ": " + text);
            }
            if (lower.contains("no route to host") || lower.contains("connection refused")) {
                String node = routedNode.orElse("?");
                return new PveNodeUnreachableException(status, node, request + ": node '" + node + "' is unreachable: " + text, null);
            }
        }
        String detail = (text.isEmpty() ? "" : ": " + text) + (errors.isEmpty() ? "" : " " + new TreeMap<>(errors));
        if (status == 400 && !errors.isEmpty() && errors.values().stream().allMatch(e -> e.startsWith("unable to hotplug"))) {
            return new PveHotplugFailedException(request + ": HTTP 400" + detail + "; nothing was written", errors);
        }
        return new PveApiException(status, request + ": HTTP " + status + detail);
    }
}
