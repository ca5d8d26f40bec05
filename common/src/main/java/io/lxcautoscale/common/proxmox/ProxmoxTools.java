package io.lxcautoscale.common.proxmox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the Proxmox command-line tools live and how long one call may take; tests and the simulator point
 * {@code pct} and {@code pvesh} at stand-in executables.
 *
 * @param pct     the {@code pct} executable, normally {@code /usr/sbin/pct}
 * @param pvesh   the {@code pvesh} executable, normally {@code /usr/bin/pvesh}
 * @param timeout how long one call may run before its process tree is killed
 */
public record ProxmoxTools(Path pct, Path pvesh, Duration timeout) {
    public static final Path DEFAULT_PCT = Path.of("/usr/sbin/pct");
    public static final Path DEFAULT_PVESH = Path.of("/usr/bin/pvesh");

    public ProxmoxTools {
        Objects.requireNonNull(pct, "pct");
        Objects.requireNonNull(pvesh, "pvesh");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The real tools with the given timeout. */
    public static ProxmoxTools defaults(Duration timeout) {
        return new ProxmoxTools(DEFAULT_PCT, DEFAULT_PVESH, timeout);
    }

    /** The argv {@code pct <args...>}. */
    public List<String> pctArgv(String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(pct.toString());
        argv.addAll(List.of(args));
        return argv;
    }

    /** The argv {@code pvesh get <apiPath> --output-format json}. */
    public List<String> pveshGetJsonArgv(String apiPath) {
        return List.of(pvesh.toString(), "get", apiPath, "--output-format", "json");
    }
}
