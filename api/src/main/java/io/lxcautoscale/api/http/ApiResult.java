package io.lxcautoscale.api.http;

/**
 * A successful answer: the human message and the structured {@code data} of the envelope. {@code raw} is set
 * for routes whose body is not the envelope (the HTML index, the metrics text, {@code /routes}, health).
 */
public record ApiResult(int httpStatus, String message, Object data, String rawBody, String rawContentType) {
    public static ApiResult ok(String message, Object data) {
        return new ApiResult(200, message, data, null, null);
    }

    public static ApiResult raw(int httpStatus, String contentType, String body) {
        return new ApiResult(httpStatus, null, null, body, contentType);
    }

    /** A JSON body that is not the envelope (kept for routes whose original shape clients rely on). */
    public static ApiResult json(int httpStatus, Object body) {
        return new ApiResult(httpStatus, null, body, null, "application/json");
    }

    public boolean isRaw() {
        return rawBody != null;
    }

    public boolean isBareJson() {
        return rawBody == null && message == null;
    }
}
