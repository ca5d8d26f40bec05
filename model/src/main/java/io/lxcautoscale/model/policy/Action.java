package io.lxcautoscale.model.policy;

/** Direction of a change to one resource; {@link #journalName()} is the word the original's journal used. */
public enum Action {
    UP("increase", "Scale Up"),
    DOWN("decrease", "Scale Down"),
    NONE("none", "No Scaling");

    private final String journalName;
    private final String logName;

    Action(String journalName, String logName) {
        this.journalName = journalName;
        this.logName = logName;
    }

    public String journalName() {
        return journalName;
    }

    /** The seed's log wording ("Scale Up"). */
    public String logName() {
        return logName;
    }

    static Action between(long before, long after) {
        return after > before ? UP : after < before ? DOWN : NONE;
    }
}
