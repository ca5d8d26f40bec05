package io.lxcautoscale.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** {@link CannotRunHere} in a child JVM, whose environment the test sets: skip, or fail under LXCAS_REQUIRE_ALL_TESTS=1. */
class CannotRunHereTest {
    /** Calls {@link CannotRunHere#because} and prints what it threw. */
    public static void main(String[] args) {
        try {
            throw CannotRunHere.because("no widget on this machine");
        } catch (TestAbortedException e) {
            System.out.println("skipped: " + e.getMessage());
        } catch (AssertionError e) {
            System.out.println("failed: " + e.getMessage());
        }
    }

    @Test
    void skipsAndSaysWhyByDefault() throws Exception {
        DaemonProcess.Result r = DaemonProcess.runMain(CannotRunHereTest.class.getName(), Map.of(CannotRunHere.REQUIRE_ALL, ""));
        assertThat(r.stdout()).contains("this test cannot run here: no widget on this machine (skipped)")
                .contains("skipped: this test cannot run here: no widget on this machine");
    }

    @Test
    void failsUnderRequireAllTests() throws Exception {
        DaemonProcess.Result r = DaemonProcess.runMain(CannotRunHereTest.class.getName(), Map.of(CannotRunHere.REQUIRE_ALL, "1"));
        assertThat(r.stdout()).contains("failed: this test cannot run here: no widget on this machine; LXCAS_REQUIRE_ALL_TESTS=1 requires every test to run");
    }
}
