package io.lxcautoscale.sim.world;

import java.util.Locale;

/** The host's cumulative per-CPU time in USER_HZ ticks, for {@code /proc/stat}, {@code /proc/uptime} and load. */
final class HostCpuTicks {
    private static final int USER_HZ = 100;
    private final double[] user;
    private final double[] system;
    private final double[] idle;
    private final double[] iowait;
    private double load1;
    private double load5;
    private double load15;
    private double contextSwitches;

    HostCpuTicks(int cpus) {
        user = new double[cpus];
        system = new double[cpus];
        idle = new double[cpus];
        iowait = new double[cpus];
        // three days of mostly idle uptime before the simulation starts
        for (int i = 0; i < cpus; i++) {
            idle[i] = 3 * 86_400.0 * USER_HZ * 0.97;
            user[i] = 3 * 86_400.0 * USER_HZ * 0.02;
            system[i] = 3 * 86_400.0 * USER_HZ * 0.01;
        }
    }

    void advance(double[] busyCores, double baseCores, double dt) {
        double total = 0;
        for (int i = 0; i < user.length; i++) {
            double busy = Math.min(1, busyCores[i] + baseCores / user.length);
            total += busy;
            user[i] += busy * 0.82 * dt * USER_HZ;
            system[i] += busy * 0.18 * dt * USER_HZ;
            double io = (1 - busy) * 0.004;
            iowait[i] += io * dt * USER_HZ;
            idle[i] += (1 - busy - io) * dt * USER_HZ;
        }
        load1 += (1 - Math.exp(-dt / 60)) * (total - load1);
        load5 += (1 - Math.exp(-dt / 300)) * (total - load5);
        load15 += (1 - Math.exp(-dt / 900)) * (total - load15);
        contextSwitches += dt * (2000 + total * 5000);
    }

    double idleSeconds() {
        double s = 0;
        for (double v : idle) {
            s += v;
        }
        return s / USER_HZ;
    }

    String procStat(long bootEpochSeconds, int lastPid) {
        StringBuilder out = new StringBuilder();
        double u = 0;
        double s = 0;
        double id = 0;
        double io = 0;
        for (int i = 0; i < user.length; i++) {
            u += user[i];
            s += system[i];
            id += idle[i];
            io += iowait[i];
        }
        out.append(cpuLine("cpu ", u, s, id, io));
        for (int i = 0; i < user.length; i++) {
            out.append(cpuLine("cpu" + i, user[i], system[i], idle[i], iowait[i]));
        }
        out.append("intr ").append((long) (contextSwitches * 0.6)).append('\n');
        out.append("ctxt ").append((long) contextSwitches).append('\n');
        out.append("btime ").append(bootEpochSeconds).append('\n');
        out.append("processes ").append(lastPid).append('\n');
        out.append("procs_running ").append(1 + Math.round(load1)).append('\n');
        out.append("procs_blocked 0\n");
        out.append("softirq ").append((long) (contextSwitches * 0.3)).append('\n');
        return out.toString();
    }

    private static String cpuLine(String name, double user, double system, double idle, double iowait) {
        // user nice system idle iowait irq softirq steal guest guest_nice
        return name + " " + (long) user + " 0 " + (long) system + " " + (long) idle + " " + (long) iowait + " 0 "
                + (long) (system * 0.05) + " 0 0 0\n";
    }

    String loadavg(int running, int lastPid) {
        return String.format(Locale.ROOT, "%.2f %.2f %.2f %d/%d %d\n", load1, load5, load15, 1 + running, 300 + running * 30, lastPid);
    }
}
