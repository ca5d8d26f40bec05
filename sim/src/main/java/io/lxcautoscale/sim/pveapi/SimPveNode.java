package io.lxcautoscale.sim.pveapi;

import java.util.Optional;

/**
 * One node of the simulated cluster: its name, whether it is up, its capacity and its HA node state
 * ({@code online}, {@code maintenance}, ...; empty when HA is not in use).
 */
public record SimPveNode(String name, boolean online, int maxcpu, long maxmemBytes, Optional<String> hastate) {
    public SimPveNode(String name, boolean online, int maxcpu, long maxmemBytes) {
        this(name, online, maxcpu, maxmemBytes, Optional.empty());
    }

    public SimPveNode withOnline(boolean value) {
        return new SimPveNode(name, value, maxcpu, maxmemBytes, hastate);
    }

    public SimPveNode withHaState(Optional<String> value) {
        return new SimPveNode(name, online, maxcpu, maxmemBytes, value);
    }
}
