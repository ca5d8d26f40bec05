package io.lxcautoscale.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, {@code ./demo.sh}, in its fixed-time mode: it must exit 0 having scaled both ways. */
class DemoCommandTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SUMMARY = Pattern.compile("demo stopped: (\\d+) scale-up\\(s\\) and (\\d+) scale-down\\(s\\) applied");

    @Test
    void demoRunsForAFixedTimeAndAppliesAtLeastOneScaleUpAndOneScaleDown(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("demo.out");
        Process demo = new ProcessBuilder("sh", "demo.sh", "--duration", "110").directory(REPO.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = demo.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
        String text = Files.readString(output);
        String tail = text.substring(Math.max(0, text.length() - 4000));
        assertThat(finished).as("demo finished within 240 s; output tail:\n%s", tail).isTrue();
        assertThat(demo.exitValue()).as("exit code; output tail:\n%s", tail).isZero();
        Matcher m = SUMMARY.matcher(text);
        assertThat(m.find()).as("summary line; output tail:\n%s", tail).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("scale-ups applied").isGreaterThanOrEqualTo(1);
        assertThat(Integer.parseInt(m.group(2))).as("scale-downs applied").isGreaterThanOrEqualTo(1);
    }
}
