package io.lxcautoscale.monitor.host;

import io.lxcautoscale.common.cgroup.FileProblems;
import io.lxcautoscale.monitor.collect.RawCounters;
import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.SmallFileReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Network bytes of each container from the host side of its interfaces, {@code veth<vmid>i<N>}
 * ({@code <sys_class_net>/veth<vmid>i<N>/statistics/{rx,tx}_bytes}). The direction is swapped: what the
 * host side receives, the container transmitted. Firewall bridges ({@code fwbr}, {@code fwpr},
 * {@code fwln}) are not counted, so nothing is counted twice.
 */
public final class VethCounters {
    /** One host-side interface with its counter paths built once. */
    private record Veth(int vmid, int index, File rxPath, File txPath) {
    }

    private final Path sysClassNet;
    private final Map<String, Veth> known = new HashMap<>();
    private Map<Integer, List<Veth>> byVmid = Map.of();

    public VethCounters(Path sysClassNet) {
        this.sysClassNet = sysClassNet;
    }

    /** Lists the interfaces once per cycle (one directory read for all containers). */
    public void scan() throws IOException {
        Map<Integer, List<Veth>> result = new HashMap<>();
        Map<String, Veth> seen = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sysClassNet, "veth*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Veth veth = known.get(name);
                if (veth == null) {
                    veth = parse(name);
                    if (veth == null) {
                        continue;
                    }
                }
                seen.put(name, veth);
                result.computeIfAbsent(veth.vmid(), k -> new ArrayList<>(2)).add(veth);
            }
        } catch (NoSuchFileException e) {
            // No such directory: no interfaces, every container's network figures stay absent.
        }
        known.keySet().retainAll(seen.keySet());
        known.putAll(seen);
        for (List<Veth> list : result.values()) {
            list.sort((a, b) -> Integer.compare(a.index(), b.index()));
        }
        byVmid = result;
    }

    private Veth parse(String name) {
        int i = name.indexOf('i', 4);
        if (i <= 4 || i == name.length() - 1) {
            return null;
        }
        int vmid = digits(name, 4, i);
        int index = digits(name, i + 1, name.length());
        if (vmid <= 0 || index < 0) {
            return null;
        }
        String stats = sysClassNet.resolve(name).resolve("statistics").toString();
        return new Veth(vmid, index, new File(stats + "/rx_bytes"), new File(stats + "/tx_bytes"));
    }

    private static int digits(String s, int from, int to) {
        if (to - from < 1 || to - from > 9) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Sums the container's interfaces into {@code raw} (absent when it has none or one cannot be read). */
    public void read(int vmid, RawCounters raw, SmallFileReader reader, FileProblems problems) {
        List<Veth> list = byVmid.get(vmid);
        if (list == null) {
            return;
        }
        long containerRx = 0;
        long containerTx = 0;
        for (Veth veth : list) {
            long hostRx = number(veth.rxPath(), reader, problems);
            long hostTx = number(veth.txPath(), reader, problems);
            if (hostRx < 0 || hostTx < 0) {
                // An interface unplugged mid-read: a partial sum would look like a counter reset.
                raw.netInterfaceCount = 0;
                return;
            }
            containerTx += hostRx;
            containerRx += hostTx;
            raw.addNetInterface(veth.index());
        }
        raw.netRxBytes = containerRx;
        raw.netTxBytes = containerTx;
    }

    private static long number(File path, SmallFileReader reader, FileProblems problems) {
        try {
            int n = reader.read(path);
            if (n < 0) {
                return -1;
            }
            long v = ByteText.wholeNumber(reader.buffer(), n);
            if (v == ByteText.GARBAGE || v == ByteText.UNLIMITED) {
                problems.garbage(path.toString(), "expected one non-negative integer");
                return -1;
            }
            return v;
        } catch (IOException e) {
            problems.unreadable(path.toString(), e);
            return -1;
        }
    }
}
