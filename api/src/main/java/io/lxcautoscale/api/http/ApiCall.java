package io.lxcautoscale.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One authorised request as a handler sees it: the input fields (query string for GET, JSON body
 * otherwise), the client address and the id of the key used (null when unauthenticated).
 */
public record ApiCall(Map<String, JsonNode> input, boolean fromQueryString, String client, String keyId) {
    public ApiCall {
        input = Map.copyOf(input);
    }

    public Fields fields() {
        return new Fields(input, fromQueryString);
    }
}
