package io.lxcautoscale.common.proxmox;

import java.time.Duration;
import java.util.List;

/**
 * What one external command did: its argv, exit code, captured output and how long it ran.
 *
 * @param argv     the command as run (program first)
 * @param exitCode the exit code, or -1 when the command timed out and was killed
 * @param stdout   standard output, decoded as UTF-8, cut at the runner's capture limit
 * @param stderr   standard error, decoded as UTF-8, cut at the runner's capture limit
 * @param duration wall time from start to exit (or kill)
 * @param timedOut true when the runner killed the process tree after the timeout
 */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    /** True when the command finished in time with exit code 0. */
    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** A one-line description for logs and error messages: the command, the exit code and the first stderr line. */
    public String describe() {
        if (timedOut) {
            return String.join(" ", argv) + " timed out after " + duration.toMillis() + " ms";
        }
        String err = stderr.strip();
        int nl = err.indexOf('\n');
        if (nl >= 0) {
            err = err.substring(0, nl);
        }
        return String.join(" ", argv) + " exited " + exitCode + (err.isEmpty() ? "" : ": " + err);
    }
}
