package io.lxcautoscale.common.pveapi;

/**
 * HTTP 403: the token lacks a privilege. Proxmox names the ACL path and the privilege (or the alternatives,
 * separated by {@code |}) in its message, e.g. {@code Permission check failed (/vms/101, VM.Config.CPU)}.
 */
public final class PvePermissionDeniedException extends PveApiException {
    private final String aclPath;
    private final String privilege;

    public PvePermissionDeniedException(String message, String aclPath, String privilege) {
        super(403, message);
        this.aclPath = aclPath;
        this.privilege = privilege;
    }

    /** The ACL path Proxmox checked, or empty when its message named none. */
    public String aclPath() {
        return aclPath;
    }

    /** The missing privilege as Proxmox named it, or empty when its message named none. */
    public String privilege() {
        return privilege;
    }
}
