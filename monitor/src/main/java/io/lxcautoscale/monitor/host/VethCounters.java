package io.lxcautoscale.monitor.host;

import io.lxcautoscale.common.cgroup.FileProblems;
import io.lxcautoscale.monitor.collect.RawCounters;
import io.lxcautoscale.common.read.ByteText;
import io.lxcautoscale.common.read.HeldFile;
import io.lxcautoscale.common.read.OpenFileBudget;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network bytes of each container from the host side of its interfaces, {@code veth<vmid>i<N>}
 * ({@code <sys_class_net>/veth<vmid>i<N>/statistics/{rx,tx}_bytes}). The direction is swapped: what the
 * host side receives, the container transmitted. Firewall bridges ({@code fwbr}, {@code fwpr},
 * {@code fwln}) are not counted, so nothing is counted twice.
 *
 * <p>On sysfs the two counter files of each interface are kept open between cycles ({@link HeldFile}: one
 * positional read at offset 0 each, which sysfs answers with the current value) and closed when the interface is
 * gone from a scan; anywhere else (a generated tree) they are opened on every read. Not thread-safe.
 */
public final class VethCounters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VethCounters.class);

    /** One host-side interface with its counter files. */
    private record Veth(int vmid, int index, HeldFile rx, HeldFile tx) {
        void close() {
            rx.close();
            tx.close();
        }
    }

    private final Path sysClassNet;
    private final OpenFileBudget budget;
    private final Map<String, Veth> known = new HashMap<>();
    private Map<Integer, List<Veth>> byVmid = Map.of();
    /** Whether sysClassNet is on sysfs (null: not known yet): only there are the counter files kept open. */
    private Boolean onSysfs;

    /** Reads every counter file by open, read and close. */
    public VethCounters(Path sysClassNet) {
        this(sysClassNet, OpenFileBudget.none());
    }

    /** Keeps the counter files open within {@code budget} when {@code sysClassNet} is on sysfs. */
    public VethCounters(Path sysClassNet, OpenFileBudget budget) {
        this.sysClassNet = sysClassNet;
        this.budget = budget;
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
        for (Map.Entry<String, Veth> old : known.entrySet()) {
            if (!seen.containsKey(old.getKey())) {
                old.getValue().close();
            }
        }
        known.clear();
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
        OpenFileBudget files = onSysfs() ? budget : OpenFileBudget.none();
        return new Veth(vmid, index, new HeldFile(new File(stats + "/rx_bytes"), files),
                new HeldFile(new File(stats + "/tx_bytes"), files));
    }

    /** Asked once: sysfs regenerates a counter on a read at offset 0; a renamed-over file elsewhere would read stale. */
    private boolean onSysfs() {
        if (onSysfs == null) {
            try {
                onSysfs = Files.getFileStore(sysClassNet).type().equals("sysfs");
                if (onSysfs) {
                    LOG.debug("{} is on sysfs: veth counter files are kept open between cycles", sysClassNet);
                }
            } catch (IOException e) {
                return false; // asked again for the next new interface
            }
        }
        return onSysfs;
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
            long hostRx = number(veth.rx(), reader, problems);
            long hostTx = number(veth.tx(), reader, problems);
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

    private static long number(HeldFile file, SmallFileReader reader, FileProblems problems) {
        File path = file.file();
        try {
            int n = file.read(reader);
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

    /** Closes the counter files kept open; they are reopened by the next scan's reads. */
    @Override
    public void close() {
        known.values().forEach(Veth::close);
    }
}
