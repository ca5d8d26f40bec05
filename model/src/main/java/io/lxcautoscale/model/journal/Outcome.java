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
    SKIPPED("skipped");

    private final String json;

    Outcome(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
