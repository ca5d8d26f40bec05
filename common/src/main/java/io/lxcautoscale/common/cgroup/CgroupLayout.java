package io.lxcautoscale.common.cgroup;

import io.lxcautoscale.common.read.SmallFileReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a host lays out the cgroups of Proxmox containers: the unified v2 tree of Proxmox 7+
 * ({@code <root>/lxc/<vmid>/}) or the per-controller v1 trees of Proxmox 6
 * ({@code <root>/<controller>/lxc/<vmid>/}). Chosen at run time like Proxmox does: v2 when
 * {@code <root>/cgroup.controllers} exists.
 */
public sealed interface CgroupLayout permits CgroupV2, CgroupV1 {
    /** 1 or 2. */
    int version();

    /** The directory whose numeric subdirectories are the running containers. */
    Path containersDir();

    /** The files of container {@code vmid}, built once and kept while it runs. */
    FileSet files(int vmid);

    /** The container's own root cgroup ({@code .../lxc/<vmid>/ns}), where its processes live. */
    Path nsDir(int vmid);

    /**
     * Reads every figure this layout provides into {@code raw} (which the caller cleared); what the kernel does
     * not provide stays absent.
     *
     * @return false when the container's cgroup disappeared during the read (the container stopped)
     */
    boolean read(FileSet files, CgroupCounters raw, SmallFileReader reader, FileProblems problems);

    /** Picks the layout of the host whose cgroup file system is mounted at {@code cgroupRoot}. */
    static CgroupLayout detect(Path cgroupRoot, DeviceFilter devices, boolean readSwap) {
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
            return new CgroupV2(cgroupRoot, devices, readSwap);
        }
        return new CgroupV1(cgroupRoot, devices, readSwap);
    }

    /** The running containers' VMIDs in ascending order; empty when the containers directory does not exist. */
    default int[] runningVmids() throws IOException {
        Path dir = containersDir();
        int[] ids = new int[64];
        int count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                int vmid = parseVmid(entry.getFileName().toString());
                // Only directories have numeric names in a cgroup tree; no stat per entry needed.
                if (vmid > 0) {
                    if (count == ids.length) {
                        ids = Arrays.copyOf(ids, count * 2);
                    }
                    ids[count++] = vmid;
                }
            }
        } catch (NoSuchFileException e) {
            return new int[0];
        }
        int[] result = Arrays.copyOf(ids, count);
        Arrays.sort(result);
        return result;
    }

    /** A VMID directory name (digits only, 1–999999999), or -1 for anything else. */
    static int parseVmid(String name) {
        if (name.isEmpty() || name.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > 0 ? v : -1;
    }
}
