package io.lxcautoscale.common.pveapi;

/**
 * A node could not be reached: either the node the request was routed to ({@code {node}} in the path; Proxmox
 * answers 595 or 596) or the API host itself (connection refused, no route, timeout).
 */
public final class PveNodeUnreachableException extends PveApiException {
    private final String node;

    public PveNodeUnreachableException(int status, String node, String message, Throwable cause) {
        super(status, message, cause);
        this.node = node;
    }

    /** The node name (from the request path) or the API host that could not be reached. */
    public String node() {
        return node;
    }
}
