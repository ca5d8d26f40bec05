package io.lxcautoscale.common.pveapi;

/** HTTP 401: the API token was rejected (unknown token, wrong secret, expired, or user disabled). */
public final class PveAuthFailedException extends PveApiException {
    public PveAuthFailedException(String message) {
        super(401, message);
    }
}
