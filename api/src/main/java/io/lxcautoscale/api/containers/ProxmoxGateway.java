package io.lxcautoscale.api.containers;

import com.fasterxml.jackson.databind.JsonNode;
import io.lxcautoscale.api.http.ApiCall;
import io.lxcautoscale.api.http.ApiError;
import io.lxcautoscale.api.metrics.ApiMetrics;
import io.lxcautoscale.common.proxmox.CommandResult;
import io.lxcautoscale.common.proxmox.CommandRunner;
import io.lxcautoscale.common.proxmox.ProxmoxParseException;
import io.lxcautoscale.common.proxmox.ProxmoxTools;
import io.lxcautoscale.common.proxmox.PveshJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's only way to run {@code pct} and {@code pvesh}: argv through common's runner, every call counted
 * and timed, and failures turned into the right HTTP answer (504 timeout, 404 missing container or unknown node, 409 locked,
 * 502 failed).
 */
public final class ProxmoxGateway {
    private static final Logger LOG = LoggerFactory.getLogger(ProxmoxGateway.class);
    // a node name that is not in the cluster's node list: Proxmox falls back to resolving it and fails
    private static final Pattern UNKNOWN_NODE = Pattern.compile("^hostname lookup '([^']*)' failed");

    private final CommandRunner runner;
    private final ProxmoxTools tools;
    private final Duration longTimeout;
    private final ApiMetrics metrics;

    public ProxmoxGateway(CommandRunner runner, ProxmoxTools tools, Duration longTimeout, ApiMetrics metrics) {
        this.runner = runner;
        this.tools = tools;
        this.longTimeout = longTimeout;
        this.metrics = metrics;
    }

    public ProxmoxTools tools() {
        return tools;
    }

    /** Runs {@code pct <args>} for {@code call} with the normal timeout and requires exit 0. */
    public CommandResult pct(ApiCall call, String... args) {
        return pctWith(call, tools.timeout(), args);
    }

    /** Runs a task-type {@code pct} command (clone, snapshot, rollback, destroy, ...) with the long timeout. */
    public CommandResult pctLong(ApiCall call, String... args) {
        return pctWith(call, longTimeout, args);
    }

    /** Runs {@code pct <args>} and returns the result whatever the exit code (timeouts and start failures still throw). */
    public CommandResult pctUnchecked(ApiCall call, Duration timeout, String... args) {
        return run(call, "pct", args[0], tools.pctArgv(args), timeout);
    }

    private CommandResult pctWith(ApiCall call, Duration timeout, String... args) {
        CommandResult r = pctUnchecked(call, timeout, args);
        if (r.exitCode() != 0) {
            throw failure(r);
        }
        return r;
    }

    /** {@code pvesh get <path> --output-format json}, parsed. */
    public JsonNode pveshGet(ApiCall call, String apiPath) {
        List<String> argv = tools.pveshGetJsonArgv(apiPath);
        CommandResult r = run(call, "pvesh", "get", argv, tools.timeout());
        if (r.exitCode() != 0) {
            throw failure(r);
        }
        try {
            return PveshJson.parse(apiPath, r.stdout());
        } catch (ProxmoxParseException e) {
            throw new ApiError(502, e.getMessage());
        }
    }

    /** Runs one tool; its duration is added to the call's tool time (the {@code pct} part of {@code Server-Timing}). */
    private CommandResult run(ApiCall call, String tool, String subcommand, List<String> argv, Duration timeout) {
        CommandResult r;
        try {
            r = runner.run(new ArrayList<>(argv), timeout);
        } catch (IOException e) {
            metrics.pctCall(tool, subcommand, "error", 0);
            LOG.error("cannot run {}: {}", argv.get(0), e.getMessage());
            throw new ApiError(502, "Cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        call.exchange().addToolTime(r.duration().toNanos());
        String outcome = r.timedOut() ? "timeout" : r.exitCode() == 0 ? "ok" : "failed";
        metrics.pctCall(tool, subcommand, outcome, r.duration().toNanos() / 1e9);
        if (r.timedOut()) {
            LOG.warn("{}", r.describe());
            throw new ApiError(504, tool + " " + subcommand + " timed out after " + timeout.toSeconds() + " s");
        }
        if (r.exitCode() != 0) {
            LOG.warn("{}", r.describe());
        }
        return r;
    }

    /** Maps a failed command to an answer; the stderr text Proxmox prints tells "missing" and "locked" apart. */
    static ApiError failure(CommandResult r) {
        String err = firstLine(r.stderr());
        String lower = err.toLowerCase(Locale.ROOT);
        String what = commandName(r) + " failed (exit " + r.exitCode() + ")" + (err.isEmpty() ? "" : ": " + err);
        Matcher unknownNode = UNKNOWN_NODE.matcher(err);
        if (unknownNode.find()) {
            return ApiError.notFound("Node '" + unknownNode.group(1) + "' is not a node of this cluster (" + what + ")");
        }
        if (lower.contains("does not exist")) {
            return ApiError.notFound(what);
        }
        if (lower.contains("is locked") || lower.contains("already exists") || lower.contains("already running")) {
            return ApiError.conflict(what);
        }
        return new ApiError(502, what);
    }

    private static String commandName(CommandResult r) {
        List<String> argv = r.argv();
        String program = argv.get(0);
        int slash = program.lastIndexOf('/');
        return program.substring(slash + 1) + (argv.size() > 1 ? " " + argv.get(1) : "");
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.strip().length() > 300 ? line.strip().substring(0, 300) : line.strip();
            }
        }
        return "";
    }
}
