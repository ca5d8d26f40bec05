package io.lxcautoscale.common.pveapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PvePermissionsTest {
    @Test
    void fullRoleOnRootMissesNothing() {
        Set<String> role = Set.of("Sys.Audit", "VM.Audit", "VM.Config.CPU", "VM.Config.Memory", "VM.Migrate");
        PvePermissions permissions = new PvePermissions(Map.of("/", role, "/vms", role, "/nodes", role));

        assertThat(permissions.missingForClusterMode(true)).isEmpty();
    }

    @Test
    void namesEachMissingPrivilegeWithItsPath() {
        PvePermissions permissions = new PvePermissions(Map.of("/vms", Set.of("VM.Audit", "VM.Config.CPU")));

        assertThat(permissions.missingForClusterMode(false)).containsExactly("Sys.Audit on /", "VM.Config.Memory on /vms");
        assertThat(permissions.missingForClusterMode(true))
                .containsExactly("Sys.Audit on /", "VM.Config.Memory on /vms", "VM.Migrate on /vms");
    }

    @Test
    void privilegesOnlyOnOneContainerDoNotCountForAll() {
        PvePermissions permissions = new PvePermissions(Map.of("/", Set.of("Sys.Audit"),
                "/vms/101", Set.of("VM.Audit", "VM.Config.CPU", "VM.Config.Memory")));

        assertThat(permissions.missingForClusterMode(false))
                .containsExactly("VM.Audit on /vms", "VM.Config.CPU on /vms", "VM.Config.Memory on /vms");
    }
}
