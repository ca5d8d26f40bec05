package io.lxcautoscale.sim.pveapi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The in-memory state of a simulated Proxmox cluster: its nodes, the container table (vmid → owner and config),
 * what each container uses, and the tasks started through the API. Migrations run in two steps so a test can see
 * the in-between state: {@link #startMigration} sets the {@code migrate} lock and returns the task,
 * {@link #finishTasks} moves the config to the target node, clears the lock and stops the task.
 */
public final class SimPveCluster {
    private static final long PSTART = 0x0123ABCDL;
    private static final int FIRST_PID = 0x000A1B00;

    private final Clock clock;
    private final Map<String, SimPveNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, SimPveContainer> containers = new TreeMap<>();
    private final Map<Integer, SimPveUsage> usage = new TreeMap<>();
    private final Map<String, SimPveTask> tasks = new LinkedHashMap<>();
    private final List<PendingMigration> migrations = new ArrayList<>();
    private final Map<String, SimPveResponse> proxyFailures = new TreeMap<>();
    private final Map<Integer, SimPveReport> published = new TreeMap<>();
    private final Map<Integer, Map<String, String>> hotplugFailures = new TreeMap<>();
    private final SimPveHa ha = new SimPveHa();
    private boolean reportPublishedOnly;
    private int nextPid = FIRST_PID;

    /** A migration task between start and end; {@code failure} is the task error decided at its start. */
    private record PendingMigration(String upid, int vmid, String target, Optional<String> failure, boolean startAfter) {
    }

    /** A cluster whose task start times come from the system clock. */
    public SimPveCluster() {
        this(Clock.systemUTC());
    }

    /** A cluster whose task start times come from {@code clock}. */
    public SimPveCluster(Clock clock) {
        this.clock = clock;
    }

    /** The HA resources, groups and rules (their own lock). */
    public SimPveHa ha() {
        return ha;
    }

    public synchronized void addNode(String name, int maxcpu, long maxmemBytes) {
        if (nodes.putIfAbsent(name, new SimPveNode(name, true, maxcpu, maxmemBytes)) != null) {
            throw new IllegalArgumentException("node " + name + " already exists");
        }
    }

    public synchronized void addContainer(SimPveContainer container) {
        if (container.vmid() < 100 || container.vmid() > 999_999_999) {
            throw new IllegalArgumentException("CT id " + container.vmid() + " is outside Proxmox's 100-999999999");
        }
        if (!nodes.containsKey(container.node())) {
            throw new IllegalArgumentException("no node " + container.node() + " for CT " + container.vmid());
        }
        if (containers.putIfAbsent(container.vmid(), container) != null) {
            throw new IllegalArgumentException("CT " + container.vmid() + " already exists");
        }
    }

    /** Puts a node offline (its API stops answering proxied requests) or back online. */
    public synchronized void setOnline(String node, boolean online) {
        nodes.put(node, requireNode(node).withOnline(online));
    }

    /**
     * Makes requests routed to an online node fail as Proxmox's proxy reports a connection problem: 595 with the OS
     * error ({@code Connection refused} when its API service is stopped, {@code Connection timed out}) or 596 when
     * TLS or the request to it fails. Empty clears it. An offline node always answers 595 {@code No route to host}.
     */
    public synchronized void setProxyFailure(String node, int status, Optional<String> reason) {
        requireNode(node);
        if (status != 595 && status != 596) {
            throw new IllegalArgumentException("proxy failures are 595 or 596, not " + status);
        }
        if (reason.isEmpty()) {
            proxyFailures.remove(node);
        } else {
            proxyFailures.put(node, SimPveResponse.empty(status, reason.get()));
        }
    }

    /** How a request routed to {@code node} fails before reaching it, if it does. */
    public synchronized Optional<SimPveResponse> proxyFailure(String node) {
        if (!requireNode(node).online()) {
            return Optional.of(SimPveResponse.empty(595, "No route to host"));
        }
        return Optional.ofNullable(proxyFailures.get(node));
    }

    /**
     * From now on {@code /cluster/resources} shows container run state, limits and usage as of the last
     * {@link #publishStatus()} (Proxmox's status daemon publishes every 10 s), instead of live; publishes once now.
     */
    public synchronized void reportPublishedStatusOnly() {
        reportPublishedOnly = true;
        publishStatus();
    }

    /** One status cycle: every online node publishes its containers' state; an offline node's last report stays. */
    public synchronized void publishStatus() {
        for (SimPveContainer ct : containers.values()) {
            if (nodes.get(ct.node()).online()) {
                published.put(ct.vmid(), SimPveReport.of(ct, usage(ct.vmid())));
            }
        }
    }

    /** What {@code /cluster/resources} shows for a container: live, or its last published report (none yet: empty). */
    public synchronized Optional<SimPveReport> report(int vmid) {
        if (reportPublishedOnly) {
            return Optional.ofNullable(published.get(vmid));
        }
        return container(vmid).map(ct -> SimPveReport.of(ct, usage(vmid)));
    }

    /**
     * Makes changing {@code option} ({@code cores}, {@code memory}, {@code swap}) on the running container fail with
     * {@code reason}, as a hotplug failure does in Proxmox; empty clears it.
     */
    public synchronized void setHotplugFailure(int vmid, String option, Optional<String> reason) {
        Map<String, String> failures = hotplugFailures.computeIfAbsent(vmid, v -> new TreeMap<>());
        reason.ifPresentOrElse(r -> failures.put(option, r), () -> failures.remove(option));
    }

    /** The injected hotplug failure of {@code option} on the container, if any. */
    public synchronized Optional<String> hotplugFailure(int vmid, String option) {
        return Optional.ofNullable(hotplugFailures.getOrDefault(vmid, Map.of()).get(option));
    }

    /** Sets a node's HA state ({@code online}, {@code maintenance}, ...) or clears it (HA not in use). */
    public synchronized void setNodeHaState(String node, Optional<String> hastate) {
        nodes.put(node, requireNode(node).withHaState(hastate));
    }

    /** Sets or clears a container's config lock, as a backup, snapshot or migration would. */
    public synchronized void setLock(int vmid, Optional<String> lock) {
        update(vmid, c -> c.withLock(lock));
    }

    /** Sets what a container uses (reported while it runs). */
    public synchronized void setUsage(int vmid, SimPveUsage used) {
        container(vmid).orElseThrow(() -> new IllegalArgumentException("no CT " + vmid));
        usage.put(vmid, used);
    }

    /** What a container uses: its set usage while running, nothing while stopped. */
    public synchronized SimPveUsage usage(int vmid) {
        return container(vmid).filter(SimPveContainer::running).map(c -> usage.getOrDefault(vmid, SimPveUsage.IDLE))
                .orElse(SimPveUsage.IDLE);
    }

    /** Changes a container's config as another writer would (e.g. an admin's {@code pct set}); changes its digest. */
    public synchronized void update(int vmid, UnaryOperator<SimPveContainer> change) {
        SimPveContainer current = container(vmid).orElseThrow(() -> new IllegalArgumentException("no CT " + vmid));
        containers.put(vmid, change.apply(current));
    }

    public synchronized Optional<SimPveContainer> container(int vmid) {
        return Optional.ofNullable(containers.get(vmid));
    }

    public synchronized List<SimPveContainer> containers() {
        return new ArrayList<>(containers.values());
    }

    public synchronized Optional<SimPveNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public synchronized List<SimPveNode> nodes() {
        return new ArrayList<>(nodes.values());
    }

    /**
     * Starts a {@code vzmigrate} task of {@code vmid} from its owner to {@code target}, started by {@code tokenId}.
     * A locked container's task will fail with {@code migration aborted}; an online migration of a running container
     * with Proxmox's "not implemented" error; otherwise the container is shut down (restart mode) and locked
     * {@code migrate} until {@link #finishTasks}. An HA-managed container gets a {@code hamigrate} task instead and
     * HA state {@code migrate}; HA moves it (here: at {@link #finishTasks}).
     */
    public synchronized SimPveTask startMigration(int vmid, String target, boolean online, String tokenId) {
        SimPveContainer ct = container(vmid).orElseThrow(() -> new IllegalArgumentException("no CT " + vmid));
        requireNode(target);
        boolean haManaged = ct.hastate().isPresent();
        SimPveTask task = SimPveTask.start(ct.node(), nextPid++, PSTART, clock.instant().getEpochSecond(),
                haManaged ? "hamigrate" : "vzmigrate", Integer.toString(vmid), tokenId);
        tasks.put(task.upid(), task);
        Optional<String> failure = Optional.empty();
        boolean restart = false;
        if (haManaged) {
            restart = ct.running();
            containers.put(vmid, ct.withHaState(Optional.of("migrate")));
        } else if (ct.lock().isPresent()) {
            failure = Optional.of("migration aborted");
        } else if (online && ct.running()) {
            failure = Optional.of("lxc live migration is currently not implemented");
        } else {
            restart = ct.running();
            containers.put(vmid, ct.withLock(Optional.of("migrate")).withStatus("stopped"));
        }
        migrations.add(new PendingMigration(task.upid(), vmid, target, failure, restart));
        return task;
    }

    /** Ends every running task: migrations move their container to the target node (started again if it ran) or fail. */
    public synchronized void finishTasks() {
        for (PendingMigration migration : migrations) {
            SimPveTask task = tasks.get(migration.upid());
            if (migration.failure().isPresent()) {
                tasks.put(task.upid(), task.stopped(migration.failure().get()));
                continue;
            }
            String status = migration.startAfter() ? "running" : "stopped";
            update(migration.vmid(), c -> c.onNode(migration.target()).withLock(Optional.empty()).withStatus(status)
                    .withHaState(c.hastate().map(h -> "started")));
            tasks.put(task.upid(), task.stopped("OK"));
        }
        migrations.clear();
    }

    public synchronized Optional<SimPveTask> task(String upid) {
        return Optional.ofNullable(tasks.get(upid));
    }

    private SimPveNode requireNode(String node) {
        SimPveNode found = nodes.get(node);
        if (found == null) {
            throw new IllegalArgumentException("no node " + node);
        }
        return found;
    }
}
