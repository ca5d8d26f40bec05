package io.lxcautoscale.common.pveapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lxcautoscale.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PveApiTokenTest {
    @TempDir
    Path dir;

    private Path tokenFile(String text, String mode) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void readsTokenFromFileWithMode0600() throws Exception {
        Path file = tokenFile("autoscaler@pve!scaler=0b7e4c1a-9d2f-4f43-8a6e-3c2d1b0a9f88\n", "rw-------");

        PveApiToken token = PveApiToken.readFile(file);

        assertThat(token.tokenId()).isEqualTo("autoscaler@pve!scaler");
        assertThat(token.authorizationHeader())
                .isEqualTo("PVEAPIToken=autoscaler@pve!scaler=0b7e4c1a-9d2f-4f43-8a6e-3c2d1b0a9f88");
        assertThat(token.toString()).doesNotContain("0b7e4c1a");
    }

    @Test
    void refusesWorldReadableTokenFileNamingFileAndMode() throws Exception {
        Path file = tokenFile("autoscaler@pve!scaler=secret\n", "rw-r--r--");

        assertThatThrownBy(() -> PveApiToken.readFile(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("mode 0644")
                .hasMessageContaining("must be 0600");
    }

    @Test
    void refusesGroupReadableTokenFile() throws Exception {
        Path file = tokenFile("autoscaler@pve!scaler=secret\n", "rw-r-----");

        assertThatThrownBy(() -> PveApiToken.readFile(file)).hasMessageContaining("mode 0640");
    }

    @Test
    void refusesMissingFile() {
        Path file = dir.resolve("absent");

        assertThatThrownBy(() -> PveApiToken.readFile(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesTokenWithoutRealmOrTokenName() throws Exception {
        Path noTokenName = tokenFile("autoscaler@pve=secret", "rw-------");
        assertThatThrownBy(() -> PveApiToken.readFile(noTokenName)).hasMessageContaining("user@realm!tokenid");

        Path noSecret = tokenFile("autoscaler@pve!scaler=", "rw-------");
        assertThatThrownBy(() -> PveApiToken.readFile(noSecret)).hasMessageContaining("one line");
    }

    @Test
    void secretContainingEqualsSignIsRefusedBecauseProxmoxSplitsAtTheLastOne() {
        // Proxmox reads "ops@pam!ci=abc" as the token id here, which is not a valid id.
        assertThatThrownBy(() -> PveApiToken.parse("test", "ops@pam!ci=abc=def"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ops@pam!ci=abc' is not of the form user@realm!tokenid");
    }
}
