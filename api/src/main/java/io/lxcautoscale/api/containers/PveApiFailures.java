package io.lxcautoscale.api.containers;

import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.common.pveapi.PveApiException;
import io.lxcautoscale.common.pveapi.PveAuthFailedException;
import io.lxcautoscale.common.pveapi.PveConfigNotFoundException;
import io.lxcautoscale.common.pveapi.PveDigestConflictException;
import io.lxcautoscale.common.pveapi.PveHotplugFailedException;
import io.lxcautoscale.common.pveapi.PveLockedException;
import io.lxcautoscale.common.pveapi.PveNodeUnreachableException;
import io.lxcautoscale.common.pveapi.PvePermissionDeniedException;
import io.lxcautoscale.common.pveapi.PveTlsRefusedException;

/**
 * The API's answer to a failed Proxmox API request (docs/reference/proxmox-api.md, "Errors and what we make of
 * them"): locked 409, unknown container 404, node unreachable 503 naming the node, missing privilege 403 naming it,
 * token or TLS refused 503 (a configuration fault), anything else 502 with Proxmox's message.
 */
final class PveApiFailures {
    private PveApiFailures() {
    }

    static ApiError toApiError(PveApiException e) {
        String message = e.getMessage();
        if (e instanceof PveLockedException locked) {
            return ApiError.conflict("Container is locked (" + locked.lock() + "); try again when the " + locked.lock()
                    + " operation has finished (" + message + ")");
        }
        if (e instanceof PveDigestConflictException) {
            return ApiError.conflict("The container's configuration changed while it was being set; try again (" + message + ")");
        }
        if (e instanceof PveConfigNotFoundException) {
            return ApiError.notFound(message);
        }
        if (e instanceof PveNodeUnreachableException unreachable) {
            return new ApiError(503, "Proxmox node '" + unreachable.node() + "' is unreachable: " + message);
        }
        if (e instanceof PvePermissionDeniedException denied) {
            String what = denied.privilege().isEmpty() ? "a privilege"
                    : "privilege " + denied.privilege() + " on " + denied.aclPath();
            return new ApiError(403, "The Proxmox API token (proxmox.token_file) lacks " + what + " (" + message + ")");
        }
        if (e instanceof PveAuthFailedException) {
            return new ApiError(503, "The Proxmox API rejected the token in proxmox.token_file: " + message);
        }
        if (e instanceof PveTlsRefusedException) {
            return new ApiError(503, "The Proxmox API's certificate does not match proxmox.ca_file or proxmox.fingerprint: "
                    + message);
        }
        if (e instanceof PveHotplugFailedException) {
            return new ApiError(502, "The running container could not take the change; nothing was written (" + message + ")");
        }
        return new ApiError(502, "Proxmox API: " + message);
    }
}
