package io.lxcautoscale.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One finished run of {@code ./demo.sh ... --keep} from the repository root: its output, exit code, the wall time it
 * took, and the demo folder it kept (to read what the daemons wrote; the test deletes it).
 */
record DemoRun(boolean finished, int exitCode, String output, Path dir, double wallSeconds) {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FOLDER = Pattern.compile("demo folder: (\\S+)");

    /** Runs {@code sh demo.sh args --keep}, its output into {@code tmp}; fails when it printed no demo folder. */
    static DemoRun run(Path tmp, String... args) throws IOException, InterruptedException {
        Path output = tmp.resolve("demo.out");
        List<String> command = new ArrayList<>(List.of("sh", "demo.sh"));
        command.addAll(List.of(args));
        command.add("--keep");
        long started = System.nanoTime();
        Process demo = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // a guard against a hang, not a deadline the outcome depends on: the run is the same however long it takes
        boolean finished = demo.waitFor(1200, TimeUnit.SECONDS);
        if (!finished) {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        String text = Files.readString(output);
        System.out.printf("%s took %.1f wall seconds%n", String.join(" ", command), wallSeconds);
        Matcher folder = FOLDER.matcher(text);
        assertThat(folder.find()).as("demo folder line; output tail:\n%s", tail(text)).isTrue();
        return new DemoRun(finished, finished ? demo.exitValue() : -1, text, Path.of(folder.group(1)), wallSeconds);
    }

    /** The last 4000 characters of the output, for failure messages. */
    String tail() {
        return tail(output);
    }

    /** Asserts that the demo finished by itself and exited 0. */
    void assertExitedCleanly() {
        assertThat(finished).as("demo finished; output tail:\n%s", tail()).isTrue();
        assertThat(exitCode).as("exit code; output tail:\n%s", tail()).isZero();
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 4000));
    }
}
