package io.lxcautoscale.model.cluster;

/** Where the model daemon gets the cluster's view each cycle; a failure is a runtime exception (the cycle goes on). */
@FunctionalInterface
public interface ClusterSource {
    /** The cluster as it is now. */
    ClusterView fetch();
}
