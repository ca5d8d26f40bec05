package io.lxcautoscale.model.replay.sim;

/**
 * What the traces of one replay share when they are replayed in lock step as one host: the runner joins
 * every trace's policy to the session, then for each step t records step t on every live trace, calls
 * {@link #cycle(int)} once, and only then asks each trace's policy for its decision. The default session
 * shares nothing, so every trace is simulated exactly as on its own; a policy family with host-level state
 * (the model daemon's pooled anomaly model) supplies its own through {@link PolicyFactory#openHost()}.
 *
 * <p>Threading: {@link #join}, {@link #leave} and {@link #cycle} are called by the runner's thread only,
 * never while a policy is recording or deciding; policies record and decide concurrently on the pool.
 */
public interface HostSession {
    /** A new policy for one more trace on this host, with that trace's bounds and step. */
    ReplayPolicy join(Bounds bounds, long stepSeconds);

    /** The trace of {@code policy} has ended (after its last step); it no longer counts as a container on the host. */
    default void leave(ReplayPolicy policy) {
    }

    /**
     * The host's cycle for step {@code t}: every live trace has recorded step t (see {@link HostedPolicy}),
     * none has decided yet.
     */
    default void cycle(int t) {
    }

    /**
     * How many of the coming cycles (from the next one on) certainly change nothing the policies see. The
     * runner may let each trace run through that many steps without waiting for the others (record and
     * decide in a row) and then call {@link #leave} and {@link #cycle} for each of those steps in order.
     * 0 (the default) means every step waits for the cycle.
     */
    default int quietCycles() {
        return 0;
    }

    /** True when {@link #cycle(int)} does something, i.e. recording and deciding must be separate phases. */
    default boolean hasCycle() {
        return false;
    }

    /** A session whose traces share nothing: each {@link #join} is {@code factory.create}. */
    static HostSession independent(PolicyFactory factory) {
        return factory::create;
    }
}
