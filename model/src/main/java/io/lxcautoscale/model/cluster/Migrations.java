package io.lxcautoscale.model.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveTaskStatus;
import io.lxcautoscale.model.journal.Outcome;
import io.lxcautoscale.model.journal.SuggestionJournal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in migrations ({@code cluster.migrate}): during the maintenance window, starts a restart-mode migration of a
 * container that has a placement recommendation this cycle, at most {@code max_migrations_per_window} per window and
 * never while any guest of the cluster is being moved; then follows each task on later cycles without waiting for it.
 * Every start, end and failure is returned as a journal entry ({@code migrate_started}, {@code migrate_done},
 * {@code migrate_failed}); nothing here throws at the cycle.
 *
 * <p>Left alone: a locked container, an HA-managed one (HA moves its own resources; a plain migration would fight it),
 * one tagged {@code cluster.no_migrate_tag} (it gets no recommendation at all).
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** The two Proxmox API calls a migration needs. */
    public interface MigrationApi {
        /** {@code POST /nodes/{node}/lxc/{vmid}/migrate} with {@code restart=1}; returns the task's UPID. */
        String startRestartMigration(String node, int vmid, String target);

        /** {@code GET /nodes/{node}/tasks/{upid}/status}. */
        PveTaskStatus taskStatus(String node, String upid);
    }

    /** A started migration whose task has not been seen ended; {@code cores} and {@code memoryMb}: its allocation then. */
    private record Started(String vmid, int cores, int memoryMb, String from, String to, String upid, Instant at) {
    }

    private final MigrationApi api;
    private final ClusterConfig.Migration settings;
    private final ZoneId zone;
    private final List<Started> following = new ArrayList<>();
    private LocalDate countedWindow;
    private int startedInWindow;

    /**
     * @param zone the host's time zone, in which the maintenance window is read
     */
    public Migrations(MigrationApi api, ClusterConfig.Migration settings, ZoneId zone) {
        if (!settings.enabled() || settings.window() == null) {
            throw new IllegalArgumentException("migrations are not enabled with a maintenance window");
        }
        this.api = api;
        this.settings = settings;
        this.zone = zone;
    }

    /** The migrations started and not yet seen ended. */
    public int following() {
        return following.size();
    }

    /**
     * Asks for the state of every followed task once: the ended ones give a {@code migrate_done} or
     * {@code migrate_failed} entry (with Proxmox's exit status), one still running after
     * {@code migration_timeout_seconds} gives {@code migrate_failed} and is no longer followed. A task whose state
     * cannot be read now is asked again next cycle.
     */
    public List<ObjectNode> follow(Instant now) {
        List<ObjectNode> entries = new ArrayList<>();
        for (Iterator<Started> it = following.iterator(); it.hasNext(); ) {
            Started s = it.next();
            long seconds = Duration.between(s.at(), now).toSeconds();
            try {
                PveTaskStatus status = api.taskStatus(s.from(), s.upid());
                if (!status.running()) {
                    it.remove();
                    String exit = status.exitstatus().orElse("unknown");
                    if (status.succeeded()) {
                        LOG.info("container {}: migration to {} ended {} after {} s", s.vmid(), s.to(), exit, seconds);
                        entries.add(SuggestionJournal.migration(now, Outcome.MIGRATE_DONE, s.vmid(), s.cores(), s.memoryMb(), s.from(), s.to(), s.upid(), exit,
                                "migrated to " + s.to() + " in restart mode: task ended " + exit));
                    } else {
                        LOG.warn("container {}: migration to {} failed: {}", s.vmid(), s.to(), exit);
                        entries.add(SuggestionJournal.migration(now, Outcome.MIGRATE_FAILED, s.vmid(), s.cores(), s.memoryMb(), s.from(), s.to(), s.upid(), exit,
                                "migration to " + s.to() + " failed: task ended " + exit));
                    }
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warn("container {}: cannot read the state of migration task {}: {}", s.vmid(), s.upid(), e.getMessage());
            }
            if (seconds > settings.taskTimeoutSeconds()) {
                it.remove();
                LOG.warn("container {}: migration task {} not seen ended after {} s; no longer followed", s.vmid(), s.upid(), seconds);
                entries.add(SuggestionJournal.migration(now, Outcome.MIGRATE_FAILED, s.vmid(), s.cores(), s.memoryMb(), s.from(), s.to(), s.upid(), null,
                        "migration to " + s.to() + " not seen ended after " + seconds + " s (cluster.migration_timeout_seconds "
                                + settings.taskTimeoutSeconds() + "); no longer followed, the task itself goes on"));
            }
        }
        return entries;
    }

    /**
     * Starts the recommended migration when everything allows it now, giving its {@code migrate_started} entry (or
     * {@code migrate_failed} when Proxmox refused to start it); empty when it is not the time or the container may not
     * be moved (logged at debug).
     *
     * @param cores    the container's cores now (journaled as its allocation)
     * @param memoryMb its memory now, MiB
     */
    public Optional<ObjectNode> startIfDue(Instant now, ClusterView view, PlacementAdvisor.Recommendation r, int cores, int memoryMb) {
        String notNow = whyNot(now, view, r);
        if (notNow != null) {
            LOG.debug("container {}: not migrated now: {}", r.vmid(), notNow);
            return Optional.empty();
        }
        startedInWindow++; // a refused start counts too: a window never sees more attempts than the limit
        try {
            String upid = api.startRestartMigration(r.fromNode(), Integer.parseInt(r.vmid()), r.toNode());
            following.add(new Started(r.vmid(), cores, memoryMb, r.fromNode(), r.toNode(), upid, now));
            LOG.info("container {}: migration to {} started in restart mode ({})", r.vmid(), r.toNode(), upid);
            return Optional.of(SuggestionJournal.migration(now, Outcome.MIGRATE_STARTED, r.vmid(), cores, memoryMb, r.fromNode(), r.toNode(), upid, null,
                    "restart-mode migration to " + r.toNode() + " started in the maintenance window " + settings.window() + ": "
                            + r.reason()));
        } catch (RuntimeException e) {
            LOG.warn("container {}: cannot start its migration to {}: {}", r.vmid(), r.toNode(), e.getMessage());
            return Optional.of(SuggestionJournal.migration(now, Outcome.MIGRATE_FAILED, r.vmid(), cores, memoryMb, r.fromNode(), r.toNode(), null, null,
                    "migration to " + r.toNode() + " could not be started: " + e.getMessage()));
        }
    }

    /** Why the migration is not started now, or null when it may be. */
    private String whyNot(Instant now, ClusterView view, PlacementAdvisor.Recommendation r) {
        Optional<LocalDate> window = settings.window().openedOn(LocalDateTime.ofInstant(now, zone));
        if (window.isEmpty()) {
            return "outside the maintenance window " + settings.window();
        }
        if (!window.get().equals(countedWindow)) {
            countedWindow = window.get();
            startedInWindow = 0;
        }
        if (startedInWindow >= settings.maxPerWindow()) {
            return startedInWindow + " migration(s) started in this window (cluster.max_migrations_per_window)";
        }
        Optional<PveGuest> guest = view.container(r.vmid());
        if (guest.isEmpty()) {
            return "not listed by the cluster view";
        }
        if (guest.get().lock().isPresent()) {
            return "locked (" + guest.get().lock().get() + ")";
        }
        if (guest.get().hastate().isPresent()) {
            return "HA-managed: HA places its own resources";
        }
        if (!following.isEmpty()) {
            return "container " + following.get(0).vmid() + "'s migration has not ended yet";
        }
        if (!view.movesInProgress().isEmpty()) {
            return "a migration is in progress in the cluster: " + String.join(", ", view.movesInProgress());
        }
        return null;
    }
}
