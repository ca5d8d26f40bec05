package io.lxcautoscale.sim.pveapi;

/** One node of the simulated cluster: its name, whether it is up, and its capacity. */
public record SimPveNode(String name, boolean online, int maxcpu, long maxmemBytes) {
    public SimPveNode withOnline(boolean value) {
        return new SimPveNode(name, value, maxcpu, maxmemBytes);
    }
}
