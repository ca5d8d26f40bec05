package io.lxcautoscale.model.api;

/** A call to the REST API that failed, with the URL, the HTTP status (0 = no response) and the API's message. */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, or 0 when no response arrived (connection refused, timeout). */
    public int status() {
        return status;
    }
}
