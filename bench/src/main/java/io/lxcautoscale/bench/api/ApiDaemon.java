package io.lxcautoscale.bench.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real API daemon ({@code ApiMain}) in a child JVM for a benchmark: a temporary directory with container
 * configs {@code 1000.conf, 1001.conf, ...}, an instant stand-in {@code pct} (one {@code /bin/sh} exec, no
 * children), a config on a free loopback port with one API key, and the audit log on (as installed).
 */
public final class ApiDaemon implements AutoCloseable {
    static final String KEY = "bench-key-0123456789abcdef";
    static final int FIRST_VMID = 1000;

    final Path dir;
    public final String base;
    final Process process;
    final String jvmOptions;

    private ApiDaemon(Path dir, String base, Process process, String jvmOptions) {
        this.dir = dir;
        this.base = base;
        this.process = process;
        this.jvmOptions = jvmOptions;
    }

    /** Starts the daemon with {@code containers} container configs and waits until it answers. */
    static ApiDaemon start(int containers, String jvmOptions) throws Exception {
        Path dir = Files.createTempDirectory("api-bench");
        Path confDir = Files.createDirectories(dir.resolve("lxc"));
        for (int i = 0; i < containers; i++) {
            int id = FIRST_VMID + i;
            Files.writeString(confDir.resolve(id + ".conf"), "hostname: ct" + id + "\ncores: 1\nmemory: 512\n");
        }
        Path pct = dir.resolve("pct");
        // as instant as a pct stand-in can be: one exec of /bin/sh, no child processes
        Files.writeString(pct, "#!/bin/sh\ncase \"$1\" in list) echo 'VMID       Status     Lock         Name'; esac\nexit 0\n");
        Files.setPosixFilePermissions(pct, PosixFilePermissions.fromString("rwx------"));
        int port = freePort();
        Path config = dir.resolve("api.yaml");
        Files.writeString(config, "server: {host: 127.0.0.1, port: " + port + "}\n"
                + "lxc: {pct_path: " + pct + ", pvesh_path: " + pct + ", config_dir: " + confDir + ", cgroup_root: " + dir + "}\n"
                + "authentication: {api_keys: [" + KEY + "], api_key_file: " + dir.resolve("none") + "}\n"
                + "audit: {log_file: " + dir.resolve("audit.json") + "}\n"
                + "logging: {level: WARN, access_log: false}\n");
        return start(dir, config, port, jvmOptions);
    }

    /** Starts the daemon on {@code config} (listening on loopback {@code port}, files under {@code dir}) and waits until it answers. */
    public static ApiDaemon start(Path dir, Path config, int port, String jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.lxcautoscale.api.ApiMain", "--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        ApiDaemon daemon = new ApiDaemon(dir, "http://127.0.0.1:" + port, process, jvmOptions);
        try {
            daemon.waitUntilUp();
        } catch (Exception e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    /** A loopback port free at this moment. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /** A {@code /scale/cores} call with the key; alternate {@code cores} between 2 and 3 so every call runs pct. */
    HttpRequest scaleCores(int vmid, int cores) {
        return HttpRequest.newBuilder(URI.create(base + "/scale/cores")).header("X-API-Key", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"vm_id\":" + vmid + ",\"cores\":" + cores + "}")).build();
    }

    private void waitUntilUp() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the API daemon exited " + process.exitValue() + "; see " + dir.resolve("server.log"));
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(base + "/health/check")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the API daemon did not answer within 60 s; see " + dir.resolve("server.log"));
    }

    /** The server's resident set from {@code /proc}: current and peak. */
    String rss() throws IOException {
        String rss = "?";
        String hwm = "?";
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = line.substring(6).strip();
            }
            if (line.startsWith("VmHWM:")) {
                hwm = line.substring(6).strip();
            }
        }
        return rss + " (peak " + hwm + ")";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
