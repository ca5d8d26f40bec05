package io.lxcautoscale.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake Proxmox node for tests: stand-in {@code pct} and {@code pvesh} executables that record every argv
 * and print output in the real formats of docs/reference/proxmox-formats.md (§8, §9), a config directory of
 * {@code <vmid>.conf} files and a cgroup tree. Per-container behaviour is set with files: a delay, an exit
 * code with stderr text, and a run state. Same-VMID overlap of {@code pct set} is detected with a lock dir.
 * The cluster has two nodes, {@code pve} (this one) and {@code other-node}; {@code pvesh} fails for any other node
 * name with the text and exit code Proxmox uses (docs/reference/proxmox-formats.md §9).
 */
final class StandInNode {
    static final String PCT_LIST_HEADER = "VMID       Status     Lock         Name                \n";
    static final String LISTSNAPSHOT = ""
            + "`-> before-upgrade              2025-01-01 00:00:00     no-description\n"
            + " `-> after-upgrade              2025-01-02 10:30:00     checked ok\n"
            + "  `-> current                                           You are here!\n";
    static final String NODE_STATUS = "{\"uptime\":12345,\"loadavg\":[\"0.10\",\"0.20\",\"0.30\"],\"cpu\":0,"
            + "\"cpuinfo\":{\"cpus\":8,\"cores\":4,\"sockets\":1,\"model\":\"Test CPU\",\"mhz\":\"2400.000\"},"
            + "\"memory\":{\"total\":33554432000,\"used\":8000000000,\"free\":25554432000,\"available\":25000000000},"
            + "\"swap\":{\"total\":0,\"used\":0,\"free\":0},\"pveversion\":\"pve-manager/8.2.2\"}";

    final Path root;
    final Path state;
    final Path confDir;
    final Path cgroupRoot;
    final Path pct;
    final Path pvesh;

    StandInNode(Path root) throws IOException {
        this.root = root;
        this.state = Files.createDirectories(root.resolve("state"));
        this.confDir = Files.createDirectories(root.resolve("pve/lxc"));
        this.cgroupRoot = Files.createDirectories(root.resolve("cgroup"));
        this.pct = root.resolve("pct");
        this.pvesh = root.resolve("pvesh");
        write(pct, pctScript());
        write(pvesh, pveshScript());
        Files.setPosixFilePermissions(pct, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(pvesh, PosixFilePermissions.fromString("rwx------"));
    }

    private String pctScript() {
        String s = state.toString();
        return "#!/bin/sh\n"
                + "S='" + s + "'\n"
                + "{ for a in \"$@\"; do printf '%s\\037' \"$a\"; done; printf '\\n'; } >> \"$S/argv.log\"\n"
                + "id=\"$2\"\n"
                + "if [ \"$1\" = set ]; then\n"
                + "  if ! mkdir \"$S/busy-$id\" 2>/dev/null; then echo \"$id\" >> \"$S/overlap.log\"; fi\n"
                + "  touch \"$S/running.$id.$$\"\n"
                + "  for f in \"$S\"/running.*; do case \"$f\" in *\"/running.$id.\"*) ;; *) [ -e \"$f\" ] && touch \"$S/cross-vmid-overlap\";; esac; done\n"
                + "fi\n"
                + "[ -f \"$S/delay-$id\" ] && sleep \"$(cat \"$S/delay-$id\")\"\n"
                + "[ -f \"$S/delay-all\" ] && sleep \"$(cat \"$S/delay-all\")\"\n"
                + "if [ \"$1\" = set ]; then\n"
                + "  for f in \"$S\"/running.*; do case \"$f\" in *\"/running.$id.\"*) ;; *) [ -e \"$f\" ] && touch \"$S/cross-vmid-overlap\";; esac; done\n"
                + "  rm -f \"$S/running.$id.$$\"; rmdir \"$S/busy-$id\" 2>/dev/null\n"
                + "fi\n"
                + "if [ -f \"$S/exit-$id\" ]; then cat \"$S/stderr-$id\" >&2 2>/dev/null; exit \"$(cat \"$S/exit-$id\")\"; fi\n"
                + "case \"$1\" in\n"
                + "  list) [ -f \"$S/exit-list\" ] && { echo 'list failed' >&2; exit \"$(cat \"$S/exit-list\")\"; }; cat \"$S/list.txt\" 2>/dev/null ;;\n"
                + "  status) if [ -f \"$S/stopped-$id\" ]; then echo 'status: stopped'; else echo 'status: running'; fi ;;\n"
                + "  listsnapshot) printf '%s' '" + LISTSNAPSHOT + "' ;;\n"
                + "esac\n"
                + "exit 0\n";
    }

    private String pveshScript() {
        return "#!/bin/sh\n"
                + "S='" + state + "'\n"
                + "{ for a in \"$@\"; do printf '%s\\037' \"$a\"; done; printf '\\n'; } >> \"$S/pvesh.log\"\n"
                + "case \"$2\" in\n"
                + "  /nodes/pve/status|/nodes/other-node/status) echo '" + NODE_STATUS + "' ;;\n"
                // a node that is not in the cluster: Proxmox falls back to resolving its name and dies (exit 255)
                + "  /nodes/*) n=\"${2#/nodes/}\"; n=\"${n%%/*}\"\n"
                + "    echo \"hostname lookup '$n' failed - failed to get address info for: $n: Name or service not known\" >&2; exit 255 ;;\n"
                + "  /cluster/status) echo '[{\"id\":\"node/pve\",\"name\":\"pve\",\"type\":\"node\",\"online\":1,\"local\":1,\"nodeid\":1},"
                + "{\"id\":\"node/other-node\",\"name\":\"other-node\",\"type\":\"node\",\"online\":1,\"local\":0,\"nodeid\":2}]' ;;\n"
                + "  *) echo \"no such path $2\" >&2; exit 2 ;;\n"
                + "esac\n";
    }

    /** Writes {@code <vmid>.conf} and keeps {@code pct list} output in step. */
    void container(int vmid, String conf) throws IOException {
        write(confDir.resolve(vmid + ".conf"), conf);
        rewriteList();
    }

    void removeContainer(int vmid) throws IOException {
        Files.deleteIfExists(confDir.resolve(vmid + ".conf"));
        rewriteList();
    }

    private void rewriteList() throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(confDir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            String id = f.getFileName().toString().replace(".conf", "");
            String text = Files.readString(f);
            String lock = "";
            String name = "CT" + id;
            for (String line : text.split("\n")) {
                if (line.startsWith("[")) {
                    break;
                }
                if (line.startsWith("lock: ")) {
                    lock = line.substring(6).strip();
                }
                if (line.startsWith("hostname: ")) {
                    name = line.substring(10).strip();
                }
            }
            String status = Files.exists(state.resolve("stopped-" + id)) ? "stopped" : "running";
            sb.append(String.format("%-10s %-10s %-12s %-20s%n", id, status, lock, name));
        }
        write(state.resolve("list.txt"), sb.length() == 0 ? "" : PCT_LIST_HEADER + sb);
    }

    void stopped(int vmid, boolean stopped) throws IOException {
        Path f = state.resolve("stopped-" + vmid);
        if (stopped) {
            write(f, "");
        } else {
            Files.deleteIfExists(f);
        }
        rewriteList();
    }

    void delay(String vmidOrAll, String seconds) throws IOException {
        Path f = state.resolve("delay-" + vmidOrAll);
        if (seconds == null) {
            Files.deleteIfExists(f);
        } else {
            write(f, seconds);
        }
    }

    void fail(int vmid, int exitCode, String stderr) throws IOException {
        write(state.resolve("exit-" + vmid), Integer.toString(exitCode));
        write(state.resolve("stderr-" + vmid), stderr + "\n");
    }

    void usedMemory(int vmid, long currentBytes, long fileBytes) throws IOException {
        usedMemory(vmid, currentBytes, fileBytes, 1000, 0, 100);
    }

    /** A cgroup v2 {@code memory.current} and {@code memory.stat} ({@code shmem} is part of {@code file}, as in the kernel). */
    void usedMemory(int vmid, long currentBytes, long fileBytes, long anonBytes, long shmemBytes, long kernelBytes) throws IOException {
        write(Files.createDirectories(cgroupRoot).resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Path dir = Files.createDirectories(cgroupRoot.resolve("lxc/" + vmid));
        write(dir.resolve("memory.current"), currentBytes + "\n");
        write(dir.resolve("memory.stat"), "anon " + anonBytes + "\nfile " + fileBytes + "\nkernel " + kernelBytes
                + "\nshmem " + shmemBytes + "\n");
    }

    /** Every recorded pct argv (without the program), oldest first. */
    List<List<String>> pctCalls() throws IOException {
        return calls(state.resolve("argv.log"));
    }

    List<List<String>> pveshCalls() throws IOException {
        return calls(state.resolve("pvesh.log"));
    }

    void clearCalls() throws IOException {
        Files.deleteIfExists(state.resolve("argv.log"));
        Files.deleteIfExists(state.resolve("pvesh.log"));
    }

    boolean sameVmidOverlap() {
        return Files.exists(state.resolve("overlap.log"));
    }

    boolean crossVmidOverlap() {
        return Files.exists(state.resolve("cross-vmid-overlap"));
    }

    private static List<List<String>> calls(Path log) throws IOException {
        List<List<String>> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of(line.split("\u001f", -1)));
            args.remove(args.size() - 1);
            out.add(args);
        }
        return out;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
