package io.lxcautoscale.sim.pveapi;

/**
 * What a node's status daemon last published about one of its containers: run state, limits and usage, as
 * {@code /cluster/resources} shows them until the next publish.
 */
public record SimPveReport(String status, int cores, int memoryMib, SimPveUsage usage) {
    static SimPveReport of(SimPveContainer ct, SimPveUsage usage) {
        return new SimPveReport(ct.status(), ct.cores(), ct.memoryMib(), usage);
    }

    public boolean running() {
        return "running".equals(status);
    }
}
