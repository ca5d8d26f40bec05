package io.lxcautoscale.common.pveapi;

/** The API host's certificate was not accepted: not signed by the configured CA, or not the pinned fingerprint. */
public final class PveTlsRefusedException extends PveApiException {
    public PveTlsRefusedException(String message, Throwable cause) {
        super(0, message, cause);
    }
}
