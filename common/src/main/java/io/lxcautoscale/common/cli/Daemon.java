package io.lxcautoscale.common.cli;

/** A running daemon: {@link #run()} blocks until the work ends or {@link #stop()} is called from another thread. */
public interface Daemon {
    /** Does the daemon's work; returns the process exit code (see {@link ExitCodes}). */
    int run() throws Exception;

    /** Asks {@link #run()} to finish soon; safe to call from a signal handler thread, more than once. */
    void stop();
}
