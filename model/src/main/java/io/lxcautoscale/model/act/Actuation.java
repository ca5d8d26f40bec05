package io.lxcautoscale.model.act;

/**
 * What became of each resource of one decision.
 *
 * @param cpu         the cores change
 * @param memory      the memory change
 * @param cpuError    why the cores change failed, or null
 * @param memoryError why the memory change failed, or null
 */
public record Actuation(Step cpu, Step memory, String cpuError, String memoryError) {
    /** One resource's fate. */
    public enum Step {
        /** Nothing to change. */
        NONE("none"),
        /** The API accepted it. */
        APPLIED("applied"),
        /** The call failed or the breaker refused it. */
        FAILED("failed");

        private final String json;

        Step(String json) {
            this.json = json;
        }

        /** The journal's {@code cpu_outcome} / {@code ram_outcome} value. */
        public String json() {
            return json;
        }
    }

    /** Every requested change was applied. */
    public boolean allApplied() {
        return cpu != Step.FAILED && memory != Step.FAILED;
    }

    /** The failures as one message, or null. */
    public String error() {
        if (cpuError == null) {
            return memoryError;
        }
        return memoryError == null ? cpuError : cpuError + "; " + memoryError;
    }
}
