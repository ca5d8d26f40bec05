package io.lxcautoscale.common.pveapi;

/** A container config carries a lock ({@code backup}, {@code migrate}, {@code snapshot}, ...): Proxmox refuses changes. */
public final class PveLockedException extends PveApiException {
    private final String lock;

    public PveLockedException(String message, String lock) {
        super(500, message);
        this.lock = lock;
    }

    /** The lock name from Proxmox's message, e.g. {@code backup}. */
    public String lock() {
        return lock;
    }
}
