package io.lxcautoscale.sim.cli;

/** A stand-in command that fails: the message goes to stderr as Proxmox prints it, with its exit code. */
final class CliFailure extends RuntimeException {
    private final int exitCode;

    CliFailure(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A Perl {@code die} from the Proxmox code: exit 255 unless errno was set. */
    static CliFailure die(String message) {
        return new CliFailure(message, 255);
    }

    /** {@code 400 Parameter verification failed.} with one {@code key: problem} line and the usage line. */
    static CliFailure param(String usage, String key, String problem) {
        return new CliFailure("400 Parameter verification failed.\n" + key + ": " + problem + "\n" + usage, 255);
    }

    int exitCode() {
        return exitCode;
    }
}
