package io.lxcautoscale.model.journal;

/** What became of a decision; the journal's {@code outcome} field. */
public enum Outcome {
    /** Every change was accepted by the API. */
    APPLIED("applied"),
    /** A call failed (or the breaker refused it); {@code error} says which and why. */
    FAILED("failed"),
    /** {@code scaling.dry_run}: the change was only logged. */
    DRY_RUN("dry-run"),
    /** The policy kept the allocation. */
    NO_CHANGE("no-change"),
    /** The container was left alone (stopped, locked, ignored, stale metrics, unknown allocation…). */
    SKIPPED("skipped"),
    /**
     * Not a decision's outcome but an entry of its own, written just before the decision that the node's capacity
     * capped: another node has room for the container (cluster mode; nothing is moved).
     */
    RECOMMEND_MIGRATE("recommend_migrate"),
    /** An entry of its own: a restart-mode migration of the container was started ({@code cluster.migrate}). */
    MIGRATE_STARTED("migrate_started"),
    /** An entry of its own: a started migration's task ended {@code OK} (or with warnings only). */
    MIGRATE_DONE("migrate_done"),
    /** An entry of its own: a migration could not be started, its task ended with an error, or it was not followed to its end. */
    MIGRATE_FAILED("migrate_failed");

    private final String json;

    Outcome(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
