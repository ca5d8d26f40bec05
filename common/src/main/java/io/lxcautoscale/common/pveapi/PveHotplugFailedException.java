package io.lxcautoscale.common.pveapi;

import java.util.Map;

/**
 * HTTP 400 {@code unable to hotplug <option>: <reason>}: Proxmox could not apply a change to the running container
 * (e.g. it stopped meanwhile). The config was not written; limits changed earlier in the same request may stay.
 */
public final class PveHotplugFailedException extends PveApiException {
    private final Map<String, String> failures;

    public PveHotplugFailedException(String message, Map<String, String> failures) {
        super(400, message);
        this.failures = Map.copyOf(failures);
    }

    /** Option → Proxmox's text, e.g. {@code memory} → {@code unable to hotplug memory: ...}. */
    public Map<String, String> failures() {
        return failures;
    }
}
