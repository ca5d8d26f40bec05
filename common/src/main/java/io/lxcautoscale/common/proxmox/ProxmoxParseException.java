package io.lxcautoscale.common.proxmox;

/** Output of a Proxmox tool or a container config file that does not have the documented format. */
public final class ProxmoxParseException extends RuntimeException {
    public ProxmoxParseException(String message) {
        super(message);
    }

    public ProxmoxParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
