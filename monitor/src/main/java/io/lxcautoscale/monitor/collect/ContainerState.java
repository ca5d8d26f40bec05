package io.lxcautoscale.monitor.collect;

import io.lxcautoscale.common.cgroup.FileSet;
import io.lxcautoscale.common.read.OpenFileBudget;
import java.io.File;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What the monitor keeps about one running container between cycles: its file paths, the previous and
 * current raw figures (two objects swapped each cycle), where its init PID was found, its allocation and
 * which problems were already logged, and the files it keeps open. Dropped (and closed) when the container
 * stops, so a reused VMID starts afresh.
 */
final class ContainerState implements AutoCloseable {
    final int vmid;
    final String key;
    final FileSet files;
    final InitPidLocator initPid;
    final AllocationSource allocation;
    /** Problems already logged for this container (logged once, until it stops). */
    final Set<String> warned = new HashSet<>();
    RawCounters previous = new RawCounters();
    RawCounters current = new RawCounters();
    private int rootPid;
    private File root;
    /** Root file system figures of the last statvfs (total &lt; 0: none yet) and when it was taken (monotonic ns). */
    long fsTotalBytes = -1;
    long fsFreeBytes;
    long fsAvailableBytes;
    long fsReadAtNanos;

    ContainerState(int vmid, FileSet files, Path pveLxcDir, OpenFileBudget budget) {
        this.vmid = vmid;
        this.key = Integer.toString(vmid);
        this.files = files;
        this.initPid = new InitPidLocator(vmid, budget);
        this.allocation = new AllocationSource(vmid, pveLxcDir);
        previous.clear();
        current.clear();
    }

    /** Makes the current figures the previous ones and clears the new current. */
    void advance() {
        RawCounters t = previous;
        previous = current;
        current = t;
        current.clear();
    }

    /** The init PID whose root was last asked for ({@link #root}), 0 before. */
    int rootPid() {
        return rootPid;
    }

    /** {@code <proc_root>/<pid>/root}, the container's root file system seen from the host. */
    File root(Path procRoot, int pid) {
        if (root == null || pid != rootPid) {
            rootPid = pid;
            root = new File(procRoot.resolve(Integer.toString(pid)).resolve("root").toString());
        }
        return root;
    }

    /** Releases the files kept open for this container. */
    @Override
    public void close() {
        files.close();
        initPid.close();
    }
}
