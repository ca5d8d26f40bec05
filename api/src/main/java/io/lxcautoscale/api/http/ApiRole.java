package io.lxcautoscale.api.http;

import io.javalin.security.RouteRole;

/**
 * What the request pipeline's before-matched step lets a route skip. A route without a role needs an API key
 * (when authentication is on) and counts against the caller's rate limit.
 */
public enum ApiRole implements RouteRole {
    /** Answered without an API key: the paths of {@code authentication.open_routes}, never a mutating route. */
    OPEN,
    /** Not rate limited: the index page and {@code /metrics}, which monitoring polls. */
    UNMETERED
}
