package io.lxcautoscale.sim.world;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The text of every cgroup v2 file of one container, in the kernel's exact formats. */
final class CgroupFiles {
    private CgroupFiles() {
    }

    /** File name (relative to {@code lxc/<vmid>/}) → content. */
    static Map<String, String> render(ContainerWorld c, int initPid) {
        Limits l = c.limits;
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        f.put("cgroup.procs", "");
        f.put("cgroup.type", "domain\n");
        f.put("cpu.stat", "usage_usec " + (long) c.usageUsec + "\n"
                + "user_usec " + (long) c.userUsec + "\n"
                + "system_usec " + (long) c.systemUsec + "\n"
                + "nr_periods " + (long) c.nrPeriods + "\n"
                + "nr_throttled " + (long) c.nrThrottled + "\n"
                + "throttled_usec " + (long) c.throttledUsec + "\n"
                + "nr_bursts 0\n"
                + "burst_usec 0\n");
        f.put("cpu.max", (l.cpulimit() > 0 ? Long.toString((long) (100000 * l.cpulimit())) : "max") + " 100000\n");
        f.put("cpu.weight", "100\n");
        String cpus = cpuList(l.cpuset());
        f.put("cpuset.cpus", cpus + "\n");
        f.put("cpuset.cpus.effective", cpus + "\n");
        f.put("cpuset.mems.effective", "0\n");
        f.put("memory.current", c.memoryCurrentBytes() + "\n");
        f.put("memory.stat", memoryStat(c));
        f.put("memory.max", l.memoryMaxBytes() + "\n");
        f.put("memory.high", l.memoryHighBytes() + "\n");
        f.put("memory.low", "0\n");
        f.put("memory.min", "0\n");
        f.put("memory.events", "low 0\nhigh " + c.eventsHigh + "\nmax " + c.eventsMax + "\noom " + c.eventsOom
                + "\noom_kill " + c.eventsOomKill + "\noom_group_kill 0\n");
        f.put("memory.swap.current", c.swapBytes + "\n");
        f.put("memory.swap.max", l.swapMaxBytes() + "\n");
        f.put("memory.swap.events", "high 0\nmax 0\nfail 0\n");
        f.put("io.stat", c.readBytes + c.writeBytes < 1 ? ""
                : "253:" + deviceMinor(c.vmid) + " rbytes=" + (long) c.readBytes + " wbytes=" + (long) c.writeBytes
                + " rios=" + (long) c.readIos + " wios=" + (long) c.writeIos + " dbytes=0 dios=0\n");
        f.put("pids.current", c.processes + "\n");
        f.put("pids.max", "max\n");
        f.put("cpu.pressure", c.cpuSome.line("some") + "\n" + c.cpuFull.line("full") + "\n");
        f.put("memory.pressure", c.memorySome.line("some") + "\n" + c.memoryFull.line("full") + "\n");
        f.put("io.pressure", c.ioSome.line("some") + "\n" + c.ioFull.line("full") + "\n");
        f.put("ns/cgroup.procs", initPid + "\n");
        f.put("ns/cgroup.type", "domain\n");
        return f;
    }

    /** The device-mapper minor of a container's rootfs volume (also listed in {@code /proc/partitions}). */
    static int deviceMinor(int vmid) {
        return vmid % 200 + 2;
    }

    private static String memoryStat(ContainerWorld c) {
        long anon = c.anonBytes;
        long file = c.fileBytes;
        long kernel = c.kernelBytes;
        long stack = Math.min(kernel / 4, c.processes * 16384L);
        long pagetables = Math.min(kernel / 4, anon / 512 + 65536);
        long percpu = Math.min(kernel / 8, 98304);
        long slab = Math.max(0, kernel - stack - pagetables - percpu);
        long slabReclaimable = slab * 6 / 10;
        long shmem = c.shmemBytes;
        long mapped = file * 3 / 10;
        long activeFile = (file - shmem) * 45 / 100;
        long page = 4096;
        StringBuilder s = new StringBuilder();
        line(s, "anon", anon);
        line(s, "file", file);
        line(s, "kernel", kernel);
        line(s, "kernel_stack", stack);
        line(s, "pagetables", pagetables);
        line(s, "sec_pagetables", 0);
        line(s, "percpu", percpu);
        line(s, "sock", 0);
        line(s, "vmalloc", 0);
        line(s, "shmem", shmem);
        line(s, "zswap", 0);
        line(s, "zswapped", 0);
        line(s, "file_mapped", mapped);
        line(s, "file_dirty", Math.min(file, 16 * page * (c.writeBytes > 0 ? 1 : 0)));
        line(s, "file_writeback", 0);
        line(s, "swapcached", 0);
        line(s, "anon_thp", 0);
        line(s, "file_thp", 0);
        line(s, "shmem_thp", 0);
        line(s, "inactive_anon", anon * 6 / 10 + shmem);
        line(s, "active_anon", anon - anon * 6 / 10);
        line(s, "inactive_file", file - shmem - activeFile);
        line(s, "active_file", activeFile);
        line(s, "unevictable", 0);
        line(s, "slab_reclaimable", slabReclaimable);
        line(s, "slab_unreclaimable", slab - slabReclaimable);
        line(s, "slab", slab);
        line(s, "workingset_refault_anon", 0);
        line(s, "workingset_refault_file", (long) c.pgmajfault);
        line(s, "workingset_activate_anon", 0);
        line(s, "workingset_activate_file", 0);
        line(s, "workingset_restore_anon", 0);
        line(s, "workingset_restore_file", 0);
        line(s, "workingset_nodereclaim", 0);
        line(s, "pgscan", (long) c.pgmajfault * 8);
        line(s, "pgsteal", (long) c.pgmajfault * 6);
        line(s, "pgscan_kswapd", 0);
        line(s, "pgscan_direct", (long) c.pgmajfault * 8);
        line(s, "pgsteal_kswapd", 0);
        line(s, "pgsteal_direct", (long) c.pgmajfault * 6);
        line(s, "pgfault", (long) c.pgfault);
        line(s, "pgmajfault", (long) c.pgmajfault);
        line(s, "pgrefill", 0);
        line(s, "pgactivate", 0);
        line(s, "pgdeactivate", 0);
        line(s, "pglazyfree", 0);
        line(s, "pglazyfreed", 0);
        line(s, "zswpin", 0);
        line(s, "zswpout", 0);
        line(s, "thp_fault_alloc", 0);
        line(s, "thp_collapse_alloc", 0);
        return s.toString();
    }

    private static void line(StringBuilder s, String key, long value) {
        s.append(key).append(' ').append(Math.max(0, value)).append('\n');
    }

    /** The kernel's CPU list syntax: sorted, runs collapsed ({@code 0-3,6}). */
    static String cpuList(List<Integer> cpus) {
        List<Integer> sorted = cpus.stream().sorted().distinct().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(sorted.get(i));
            if (j > i) {
                out.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }
}
