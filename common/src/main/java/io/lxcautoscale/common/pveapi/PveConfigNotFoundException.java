package io.lxcautoscale.common.pveapi;

/** The container has no config on the node asked: it does not exist, or it lives on another node. */
public final class PveConfigNotFoundException extends PveApiException {
    public PveConfigNotFoundException(String message) {
        super(500, message);
    }
}
