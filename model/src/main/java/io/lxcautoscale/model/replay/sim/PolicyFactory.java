package io.lxcautoscale.model.replay.sim;

/** Creates a fresh {@link ReplayPolicy} for each trace; a factory is shared by the worker threads. */
public interface PolicyFactory {
    /** The name in the report, e.g. {@code vpa} or {@code default@margin=0.3}. */
    String name();

    /** A new policy for one trace with these bounds and step. */
    ReplayPolicy create(Bounds bounds, long stepSeconds);
}
