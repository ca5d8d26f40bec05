package io.lxcautoscale.common.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void capturesOutputExitCodeAndRunsWithCLocaleAndUtc() throws Exception {
        Path s = script("env.sh", "echo \"$LC_ALL $LANG $TZ\"; echo \"arg=$1\"; echo oops >&2; exit 3\n");
        CommandResult r = new CommandRunner().run(List.of(s.toString(), "a b;c"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.ok()).isFalse();
        // the argument arrives as one argv element, never interpreted by a shell
        assertThat(r.stdout()).isEqualTo("C C UTC\narg=a b;c\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(r.describe()).contains("exited 3: oops");
    }

    @Test
    void timeoutKillsChildAndGrandchild() throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        Path s = script("hang.sh", "sleep 1000 &\necho $! > " + pidFile + "\nwait\n");
        CommandResult r = new CommandRunner().run(List.of(s.toString()), Duration.ofMillis(1500));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(-1);
        long sleepPid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(stillAlive(List.of(sleepPid))).as("grandchild sleep 1000 still alive").isEmpty();
    }

    /**
     * Those of {@code pids} (processes this test started) still alive after a bounded wait: the kill is
     * asynchronous. Other tests' processes in this JVM are none of this test's business.
     */
    private static List<Long> stillAlive(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Long> alive = pids;
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alive = pids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
        }
        return alive;
    }

    @Test
    void timeoutSendsSigtermFirstSoATaskCanCleanUpAndKillsWhatIgnoresIt() throws Exception {
        Path cleaned = dir.resolve("cleaned-up");
        // a loop, so the script cannot simply end when its killed child makes `wait` return before the trap runs
        Path polite = script("polite.sh", "trap 'echo done > " + cleaned + "; exit 143' TERM\nwhile :; do sleep 1 & wait $!; done\n");
        CommandResult r = new CommandRunner().run(List.of(polite.toString()), Duration.ofMillis(1000));
        assertThat(r.timedOut()).isTrue();
        assertThat(cleaned).as("the TERM handler ran before any SIGKILL").exists();

        // the script and each of its sleeps (which inherit the ignored TERM) write their PIDs down
        Path pids = dir.resolve("stubborn.pids");
        Path stubborn = script("stubborn.sh", "trap '' TERM\necho $$ >> " + pids + "\nwhile :; do sleep 1 & echo $! >> " + pids + "; wait $!; done\n");
        CommandResult s = new CommandRunner().run(List.of(stubborn.toString()), Duration.ofMillis(500));
        assertThat(s.timedOut()).isTrue();
        List<Long> started = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertThat(started).as("the script and at least one sleep").hasSizeGreaterThanOrEqualTo(2);
        assertThat(stillAlive(started)).as("a child that ignores SIGTERM is killed after the grace period").isEmpty();
    }

    @Test
    void chattyChildDoesNotBlockAndOutputIsBounded() throws Exception {
        // 8 MiB on stdout and stderr at once: both pipes must be drained concurrently
        Path s = script("chatty.sh", "head -c 8388608 /dev/zero | tr '\\0' 'x' &\nhead -c 8388608 /dev/zero | tr '\\0' 'y' >&2\nwait\n");
        CommandResult r = new CommandRunner(1 << 20).run(List.of(s.toString()), Duration.ofSeconds(30));
        assertThat(r.timedOut()).isFalse();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).hasSize(1 << 20);
        assertThat(r.stderr()).hasSize(1 << 20);
    }

    @Test
    void missingExecutableIsAnIOException() {
        assertThatThrownBy(() -> new CommandRunner().run(List.of(dir.resolve("nope").toString()), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void toolsBuildArgvForStandIns() {
        ProxmoxTools tools = new ProxmoxTools(Path.of("/opt/fake/pct"), Path.of("/opt/fake/pvesh"), Duration.ofSeconds(5));
        assertThat(tools.pctArgv("set", "101", "-cores", "2")).containsExactly("/opt/fake/pct", "set", "101", "-cores", "2");
        assertThat(tools.pveshGetJsonArgv("/nodes/pve/status"))
                .containsExactly("/opt/fake/pvesh", "get", "/nodes/pve/status", "--output-format", "json");
    }
}
