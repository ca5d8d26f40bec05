package io.lxcautoscale.common.pveapi;

/** The config changed since it was read (the digest sent with the change no longer matches): nothing was written. */
public final class PveDigestConflictException extends PveApiException {
    public PveDigestConflictException(String message) {
        super(500, message);
    }
}
