package io.lxcautoscale.model.replay.sim;

/**
 * Creates a fresh {@link ReplayPolicy} for each trace; a factory is shared by the worker threads.
 * A replay of a trace set opens one {@link HostSession} per policy and joins every trace to it.
 */
public interface PolicyFactory {
    /** The name in the report, e.g. {@code vpa} or {@code default@margin=0.3}. */
    String name();

    /** A new policy for one trace with these bounds and step, on a host of its own. */
    ReplayPolicy create(Bounds bounds, long stepSeconds);

    /**
     * A host for replaying several traces in lock step. The default shares nothing between traces, so the
     * result per trace is {@link #create}'s.
     */
    default HostSession openHost() {
        return HostSession.independent(this);
    }
}
