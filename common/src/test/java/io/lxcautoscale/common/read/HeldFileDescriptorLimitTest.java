package io.lxcautoscale.common.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.lxcautoscale.common.testing.DaemonProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More files to hold than descriptors: every file is still read (by open/read/close) and it is logged once. Runs
 * {@link HeldFilesBeyondTheDescriptorLimitMain} in a child JVM under {@code ulimit -n} {@value #LIMIT}.
 */
class HeldFileDescriptorLimitTest {
    private static final int FILES = 400;
    /** Far below the files to hold, well above what the JVM needs for itself. */
    private static final int LIMIT = 256;

    @TempDir
    Path dir;

    @Test
    void theBudgetFromTheLimitKeepsFilesOpenUpToItAndReadsTheRestByOpenReadClose() throws Exception {
        String output = runChild("");
        assertThat(output).contains("correct round0=" + FILES + " round1=" + FILES + " round2=" + FILES);
        assertThat(held(output)).as("held up to the limit less the reserve").isEqualTo(LIMIT - OpenFileBudget.RESERVE);
        assertThat(warnings(output)).as(output).hasSize(1);
    }

    @Test
    void anOpenThatFailsWithEmfileLowersTheBudgetAndTheNextRoundsReadEveryFile() throws Exception {
        String output = runChild(" occupy 100");
        // The round that hits EMFILE may lose the one file whose open failed; the later rounds read all of them.
        assertThat(output).contains(" round1=" + FILES + " round2=" + FILES);
        long held = held(output);
        assertThat(held).as("what was held when EMFILE hit, less the reserve").isLessThan(100 - OpenFileBudget.RESERVE + 1);
        assertThat(output).contains("budget counts " + held);
        assertThat(warnings(output)).as(output).hasSize(1).allMatch(w -> w.contains("Too many open files"));
    }

    private String runChild(String extraArgs) throws Exception {
        for (int i = 0; i < FILES; i++) {
            Files.writeString(dir.resolve("f" + i), "0:" + i + "\n");
        }
        String java = DaemonProcess.javaExecutable() + " -Xshare:auto -cp '" + System.getProperty("java.class.path") + "' "
                + HeldFilesBeyondTheDescriptorLimitMain.class.getName() + " '" + dir + "' " + FILES + extraArgs;
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n " + LIMIT + " && exec " + java).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private static long held(String output) {
        return Long.parseLong(output.replaceAll("(?s).*held open (\\d+);.*", "$1"));
    }

    private static List<String> warnings(String output) {
        return output.lines().filter(l -> l.contains("OpenFileBudget")).toList();
    }
}
