package io.lxcautoscale.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A daemon's main class running as a real child JVM (the test class path), its console output (stdout and
 * stderr together) in a file, signalled by pid like systemd does ({@code kill -HUP $MAINPID}). Waits poll an
 * observable condition until a deadline and fail at once, with the output, when the process dies meanwhile.
 */
public final class ChildDaemon implements AutoCloseable {
    /** How long a condition may take to appear; generous, since a wait ends as soon as the condition holds. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String mainClass;
    private final Process process;
    private final Path output;

    private ChildDaemon(String mainClass, Process process, Path output) {
        this.mainClass = mainClass;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java -cp <test class path> mainClass args}, output to {@code output}. */
    public static ChildDaemon start(String mainClass, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DaemonProcess.javaExecutable(), "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ChildDaemon(mainClass, process, output);
    }

    public long pid() {
        return process.pid();
    }

    /** Sends SIGHUP with {@code kill -HUP <pid>}, as the units' {@code ExecReload=} does. */
    public void hangup() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid())).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).as("kill -HUP finished").isTrue();
        assertThat(kill.exitValue()).as("kill -HUP " + pid()).isZero();
    }

    /**
     * Sends SIGHUP for a {@code config} that {@code --check-config} rejects (run here as its own child process) and
     * waits until the daemon has logged that same message and that its settings stay; returns what
     * {@code --check-config} printed on stderr.
     */
    public String hangupExpectingRefusal(Path config) throws IOException, InterruptedException {
        DaemonProcess.Result check = DaemonProcess.runMain(mainClass, Map.of(), "--config", config.toString(), "--check-config");
        assertThat(check.exitCode()).as("--check-config exit code of the file: " + check.stderr()).isEqualTo(2);
        int mark = mark();
        hangup();
        awaitOutput(mark, check.stderr().strip());
        assertThat(outputAfter(mark)).contains("configuration reload refused; the running settings stay")
                .doesNotContain("configuration reloaded");
        return check.stderr();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A position in the output: what is printed after it is what {@link #outputAfter} returns. */
    public int mark() {
        return output().length();
    }

    public String outputAfter(int mark) {
        String all = output();
        return all.length() <= mark ? "" : all.substring(mark);
    }

    /** Waits until the output after {@code mark} contains {@code text}. */
    public void awaitOutput(int mark, String text) {
        await("output containing '" + text + "'", () -> outputAfter(mark).contains(text));
    }

    /** Waits until {@code condition} holds; fails when the process ends first or the deadline passes. */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("the daemon exited with " + process.exitValue() + " while waiting for " + what + "; output:\n" + output());
            }
            if (System.nanoTime() - deadline > 0) {
                fail("no " + what + " within " + PATIENCE.toSeconds() + " s; output:\n" + output());
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
