package io.lxcautoscale.api.http;

/** The body of one route: validated input in, result out; failures are {@link ApiError}s. */
@FunctionalInterface
public interface RouteHandler {
    ApiResult handle(ApiCall call) throws Exception;
}
