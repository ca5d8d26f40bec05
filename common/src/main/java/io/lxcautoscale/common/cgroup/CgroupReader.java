package io.lxcautoscale.common.cgroup;

import io.lxcautoscale.common.read.SmallFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one container's cgroup on demand, with the same layouts and parsing the monitor uses every cycle (v2 or
 * v1 chosen per call, as a host can reboot into the other). For callers that need a fresh figure now, such as
 * the API's memory check before lowering a limit. Thread-safe: every call uses its own buffers.
 */
public final class CgroupReader {
    /** What one read found. */
    public sealed interface Reading permits Running, NotRunning, Unreadable {
    }

    /** The container's cgroup was read; figures the kernel does not provide are absent in {@code counters}. */
    public record Running(CgroupCounters counters) implements Reading {
    }

    /** The container has no cgroup (it is not running, or stopped during the read). */
    public record NotRunning() implements Reading {
    }

    /** The cgroup exists but files could not be read or parsed: {@code problems} names each file and why. */
    public record Unreadable(List<String> problems, CgroupCounters counters) implements Reading {
    }

    private final Path cgroupRoot;

    public CgroupReader(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /** Reads container {@code vmid}; problems with individual files come back as {@link Unreadable}. */
    public Reading read(int vmid) {
        CgroupLayout layout = CgroupLayout.detect(cgroupRoot, DeviceFilter.none(), true);
        FileSet files = layout.files(vmid);
        if (!Files.isDirectory(Path.of(files.directory()))) {
            return new NotRunning();
        }
        List<String> problems = new ArrayList<>();
        CgroupCounters counters = new CgroupCounters();
        counters.clear();
        boolean present = layout.read(files, counters, new SmallFileReader(), new FileProblems() {
            @Override
            public void garbage(String path, String what) {
                problems.add(path + ": " + what);
            }

            @Override
            public void unreadable(String path, IOException error) {
                problems.add(path + ": " + error);
            }
        });
        if (!present) {
            return new NotRunning();
        }
        return problems.isEmpty() ? new Running(counters) : new Unreadable(List.copyOf(problems), counters);
    }
}
