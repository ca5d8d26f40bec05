package io.lxcautoscale.common.pveapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PveErrorsTest {
    private static final String REQUEST = "PUT /nodes/pve1/lxc/101/config";

    @Test
    void permissionMessageNamesPathAndAlternatives() {
        PveApiException e = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 403,
                "Permission check failed (/vms/101, VM.Config.Disk|VM.Config.CPU)\n");

        assertThat(e).isInstanceOf(PvePermissionDeniedException.class);
        assertThat(((PvePermissionDeniedException) e).aclPath()).isEqualTo("/vms/101");
        assertThat(((PvePermissionDeniedException) e).privilege()).isEqualTo("VM.Config.Disk|VM.Config.CPU");
    }

    @Test
    void barePermissionMessageKeepsStatusWithoutPrivilege() {
        PveApiException e = PveErrors.fromResponse(REQUEST, Optional.empty(), 403, "Permission check failed\n");

        assertThat(e).isInstanceOf(PvePermissionDeniedException.class);
        assertThat(((PvePermissionDeniedException) e).privilege()).isEmpty();
    }

    @Test
    void lockNameIsTakenFromMessage() {
        PveApiException e = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 500, "CT is locked (snapshot-delete)\n");

        assertThat(((PveLockedException) e).lock()).isEqualTo("snapshot-delete");
    }

    @Test
    void digestConflictIsRecognisedByProxmoxsTextOnly() {
        PveApiException conflict = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 500,
                "detected modified configuration - file changed by other user? Try again.\n");
        PveApiException other = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 500, "unable to parse digest\n");

        assertThat(conflict).isInstanceOf(PveDigestConflictException.class);
        assertThat(other.getClass()).isEqualTo(PveApiException.class);
    }

    @Test
    void parameterErrorsAreListedAndHotplugFailuresTyped() {
        PveApiException range = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 400, "Parameter verification failed.\n",
                java.util.Map.of("memory", "value must have a minimum value of 16"));
        PveApiException hotplug = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 400, "Parameter verification failed.\n",
                java.util.Map.of("cores", "unable to hotplug cores: container not running"));

        assertThat(range.getClass()).isEqualTo(PveApiException.class);
        assertThat(range.getMessage()).isEqualTo(REQUEST
                + ": HTTP 400: Parameter verification failed. {memory=value must have a minimum value of 16}");
        assertThat(((PveHotplugFailedException) hotplug).failures())
                .containsEntry("cores", "unable to hotplug cores: container not running");
    }

    @Test
    void unreachableNodeIsNamedFromPath() {
        PveApiException e = PveErrors.fromResponse(REQUEST, Optional.of("pve3"), 596, "");

        assertThat(e).isInstanceOf(PveNodeUnreachableException.class);
        assertThat(((PveNodeUnreachableException) e).node()).isEqualTo("pve3");
        assertThat(e.status()).isEqualTo(596);
        assertThat(e.getMessage()).contains("node 'pve3' is unreachable");
    }

    @Test
    void otherServerErrorsStayGeneric() {
        PveApiException e = PveErrors.fromResponse(REQUEST, Optional.of("pve1"), 500,
                "can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout\n");

        assertThat(e.getClass()).isEqualTo(PveApiException.class);
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).isEqualTo(REQUEST + ": HTTP 500: can't lock file '/run/lock/lxc/pve-config-101.lock' - got timeout");
    }
}
