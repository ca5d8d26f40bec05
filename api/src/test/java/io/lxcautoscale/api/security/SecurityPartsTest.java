package io.lxcautoscale.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityPartsTest {
    @Test
    void slidingWindowCountsOnlyAcceptedRequestsAndFreesSlotsAsTheyAge() {
        RateLimiter limiter = new RateLimiter(2, 10, 100);
        assertThat(limiter.acquire("a", 0).remaining()).isEqualTo(1);
        assertThat(limiter.acquire("a", 4_000).remaining()).isZero();
        RateLimiter.Decision refused = limiter.acquire("a", 5_000);
        assertThat(refused.allowed()).isFalse();
        // the oldest request (t=0) leaves the window at t=10 s: 5 s to wait
        assertThat(refused.retryAfterSeconds()).isEqualTo(5);
        assertThat(refused.resetEpochSeconds()).isEqualTo(10);
        assertThat(limiter.acquire("b", 5_000).allowed()).as("other clients have their own window").isTrue();
        assertThat(limiter.acquire("a", 10_000).allowed()).isTrue();
        assertThat(limiter.acquire("a", 10_001).allowed()).isFalse();
    }

    @Test
    void clientTableIsBoundedForgettingTheLeastRecentlySeen() {
        RateLimiter limiter = new RateLimiter(1, 60, 10);
        limiter.acquire("old", 0);
        for (int i = 0; i < 10; i++) {
            limiter.acquire("c" + i, 1);
        }
        // "old" was evicted, so it starts a fresh window
        assertThat(limiter.acquire("old", 2).allowed()).isTrue();
    }

    @Test
    void forwardedForOnlyFromTrustedProxiesAndRightmostUntrustedHop() {
        ClientAddress none = new ClientAddress(List.of());
        assertThat(none.resolve("192.0.2.7", "10.0.0.1")).isEqualTo("192.0.2.7");
        ClientAddress trusted = new ClientAddress(List.of("127.0.0.1", "10.0.0.254"));
        assertThat(trusted.resolve("127.0.0.1", "203.0.113.5")).isEqualTo("203.0.113.5");
        // a client cannot choose its address by prepending: the right-most untrusted hop counts
        assertThat(trusted.resolve("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.254")).isEqualTo("203.0.113.5");
        assertThat(trusted.resolve("192.0.2.7", "203.0.113.5")).isEqualTo("192.0.2.7");
        assertThat(trusted.resolve("127.0.0.1", null)).isEqualTo("127.0.0.1");
    }

    @Test
    void anIpv6TrustedProxyMatchesHoweverTheAddressIsWritten() {
        ClientAddress trusted = new ClientAddress(List.of("fd00::1", "0:0:0:0:0:0:0:1"));
        // Jetty prints a peer in full form, sometimes bracketed; the config may use any valid spelling
        assertThat(trusted.resolve("fd00:0:0:0:0:0:0:1", "203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(trusted.resolve("[fd00:0:0:0:0:0:0:1]", "203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(trusted.resolve("FD00:0000::0001", "203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(trusted.resolve("::1", "203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(trusted.resolve("[::1]", "203.0.113.5")).isEqualTo("203.0.113.5");
        // a trusted hop in X-Forwarded-For is skipped whatever its spelling
        assertThat(trusted.resolve("::1", "203.0.113.5, fd00:0::1")).isEqualTo("203.0.113.5");
        // a neighbour of the proxy is not the proxy
        assertThat(trusted.resolve("fd00::2", "203.0.113.5")).isEqualTo("fd00::2");
        // a name is never resolved: it is not an address, so it is not trusted
        assertThat(trusted.resolve("localhost", "203.0.113.5")).isEqualTo("localhost");
        ClientAddress v4 = new ClientAddress(List.of("127.0.0.1"));
        assertThat(v4.resolve("::ffff:127.0.0.1", "203.0.113.5")).isEqualTo("203.0.113.5");
    }

    @Test
    void keysMatchByDigestAndAreIdentifiedByAShortHash() {
        ApiKeys keys = ApiKeys.of(List.of("first-key-0123456789", "second-key-0123456789"));
        assertThat(keys.match("second-key-0123456789")).isNotNull();
        assertThat(keys.match("second-key-0123456789").id()).isEqualTo(ApiKeys.keyId("second-key-0123456789")).hasSize(8);
        assertThat(keys.match("second-key-012345678")).isNull();
        assertThat(keys.match("")).isNull();
        assertThat(keys.match(null)).isNull();
        assertThat(ApiKeys.keyId("first-key-0123456789")).isNotEqualTo(ApiKeys.keyId("second-key-0123456789"))
                .doesNotContain("first");
    }
}
