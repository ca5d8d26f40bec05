package io.lxcautoscale.common.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The one way a test says "this machine cannot run me": it prints the reason, then skips the test, or, when
 * the environment variable {@value #REQUIRE_ALL} is {@code 1} (CI sets it), fails it with that reason, so a
 * test that CI can run is never silently skipped there.
 */
public final class CannotRunHere {
    /** The environment variable under which a test that cannot run fails instead of skipping. */
    public static final String REQUIRE_ALL = "LXCAS_REQUIRE_ALL_TESTS";

    private CannotRunHere() {
    }

    /** Skips (or fails, under {@value #REQUIRE_ALL}=1) the running test with {@code reason}; never returns normally. */
    public static RuntimeException because(String reason) {
        boolean required = "1".equals(System.getenv(REQUIRE_ALL));
        String message = "this test cannot run here: " + reason;
        System.out.println(message + (required ? " (" + REQUIRE_ALL + "=1: failing)" : " (skipped)"));
        if (required) {
            throw new AssertionError(message + "; " + REQUIRE_ALL + "=1 requires every test to run");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable: Assumptions.abort returned");
    }

    /** Runs on only when {@code condition} holds; otherwise {@link #because(String)}. */
    public static void unless(boolean condition, String reason) {
        if (!condition) {
            throw because(reason);
        }
    }
}
