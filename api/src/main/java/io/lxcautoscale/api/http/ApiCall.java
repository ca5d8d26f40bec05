package io.lxcautoscale.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One authorised request as a handler sees it: the input fields (query string for GET, JSON body
 * otherwise) and the request's {@link Exchange} (client address, key id, tool time).
 */
public record ApiCall(Map<String, JsonNode> input, boolean fromQueryString, Exchange exchange) {
    public ApiCall {
        input = Map.copyOf(input);
    }

    public Fields fields() {
        return new Fields(input, fromQueryString);
    }

    public String client() {
        return exchange.client();
    }

    /** The id of the key used, null when unauthenticated. */
    public String keyId() {
        return exchange.keyId();
    }
}
