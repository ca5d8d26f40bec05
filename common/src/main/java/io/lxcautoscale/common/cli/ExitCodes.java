package io.lxcautoscale.common.cli;

/**
 * Process exit codes shared by the three daemons, chosen so that systemd's {@code Restart=on-failure}
 * restarts after a crash but not after a configuration error that a restart cannot fix
 * ({@code RestartPreventExitStatus=2 3} in the units).
 */
public final class ExitCodes {
    /** Normal end: stopped by SIGTERM, or a one-shot run that succeeded. */
    public static final int OK = 0;
    /** Unexpected failure at run time; a restart may help. */
    public static final int FAILURE = 1;
    /** The configuration file or the command line is invalid; nothing was done. */
    public static final int CONFIG = 2;
    /** Another instance holds the single-instance lock. */
    public static final int ALREADY_RUNNING = 3;

    private ExitCodes() {
    }
}
