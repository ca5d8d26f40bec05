package io.lxcautoscale.common.pveapi;

/**
 * A Proxmox API request that did not succeed. Subclasses name the cases a caller reacts to differently
 * (authentication, missing privilege, locked container, digest conflict, unreachable node, unknown container,
 * TLS refused); this base class alone means any other error, with the HTTP status and Proxmox's message.
 */
public class PveApiException extends RuntimeException {
    private final int status;

    public PveApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public PveApiException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no HTTP response was received. */
    public int status() {
        return status;
    }
}
