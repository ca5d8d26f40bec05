package io.lxcautoscale.api.http;

import java.util.List;
import java.util.Map;

/**
 * An expected failure answered with a specific HTTP status and the {@code {status:"error", message, errors}}
 * body; thrown by validation, checks and command wrappers, turned into a response in one place.
 */
public final class ApiError extends RuntimeException {
    private final int httpStatus;
    private final List<String> errors;
    private final Map<String, String> headers;

    public ApiError(int httpStatus, String message) {
        this(httpStatus, message, List.of(), Map.of());
    }

    public ApiError(int httpStatus, String message, List<String> errors, Map<String, String> headers) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiError validation(List<String> errors) {
        return new ApiError(400, "Validation failed", errors, Map.of());
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public List<String> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
