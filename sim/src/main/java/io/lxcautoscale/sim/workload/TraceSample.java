package io.lxcautoscale.sim.workload;

/**
 * One trace sample: CPU in core-equivalents, memory in bytes, I/O and network in KB/s; a negative
 * {@code memoryBytes} or {@code readKbPerSecond} means the trace does not record it (PlanetLab is CPU only).
 */
public record TraceSample(long epochSeconds, double cpuCores, double memoryBytes, double readKbPerSecond, double writeKbPerSecond,
                          double rxKbPerSecond, double txKbPerSecond) {
}
