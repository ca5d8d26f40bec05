package io.lxcautoscale.common.cgroup;

import io.lxcautoscale.common.read.SmallFileReader;
import java.io.File;
import java.io.IOException;

/**
 * The files of one container's cgroup, with their paths built once, and which of them the kernel does
 * not provide (e.g. {@code memory.swap.*} without swap accounting): those are skipped for a while instead
 * of failing an open() every cycle, then tried again.
 */
public final class FileSet {
    /** Cycles a missing file is skipped before it is tried again (about 5 minutes at the default interval). */
    static final int RETRY_MISSING_AFTER_CYCLES = 30;

    private final String[] paths;
    private final File[] files;
    private final String directory;
    private long missing;
    private int cyclesUntilRetry;
    /** Set during a cycle when a read suggested the cgroup might have gone away. */
    private boolean suspectVanished;

    FileSet(String directory, String[] paths) {
        this.directory = directory;
        this.paths = paths;
        this.files = new File[paths.length];
        for (int i = 0; i < paths.length; i++) {
            files[i] = new File(paths[i]);
        }
    }

    /** Called once per cycle before the reads. */
    void startCycle() {
        suspectVanished = false;
        if (missing != 0 && --cyclesUntilRetry <= 0) {
            missing = 0;
        }
    }

    /**
     * Reads file {@code index} into {@code reader}: the byte count, or -1 when it is missing, skipped or
     * failed (a failure is reported unless the whole cgroup turns out to be gone).
     */
    int read(int index, SmallFileReader reader, FileProblems problems) {
        if ((missing & (1L << index)) != 0) {
            return -1;
        }
        try {
            int n = reader.read(files[index]);
            if (n == SmallFileReader.MISSING) {
                suspectVanished = true;
                if (missing == 0) {
                    cyclesUntilRetry = RETRY_MISSING_AFTER_CYCLES;
                }
                missing |= 1L << index;
            }
            return n;
        } catch (IOException e) {
            suspectVanished = true;
            if (new File(directory).isDirectory()) {
                problems.unreadable(paths[index], e);
            }
            return -1;
        }
    }

    /** True when a file was missing or failed this cycle and the cgroup directory no longer exists. */
    boolean vanished() {
        return suspectVanished && !new File(directory).isDirectory();
    }

    String path(int index) {
        return paths[index];
    }

    /** The cgroup directory whose existence means the container runs. */
    public String directory() {
        return directory;
    }
}
