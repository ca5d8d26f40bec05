package io.lxcautoscale.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.cli.Daemon;
import io.lxcautoscale.common.cli.ExitCodes;
import io.lxcautoscale.common.metrics.MetricsReader;
import io.lxcautoscale.common.metrics.SnapshotDecoder;
import io.lxcautoscale.common.pveapi.PveGuest;
import io.lxcautoscale.common.pveapi.PveHaNodeAffinity;
import io.lxcautoscale.model.act.Actuation;
import io.lxcautoscale.model.act.Actuator;
import io.lxcautoscale.model.api.ApiClient;
import io.lxcautoscale.model.api.ApiException;
import io.lxcautoscale.model.api.CircuitBreaker;
import io.lxcautoscale.model.cluster.ClusterSource;
import io.lxcautoscale.model.cluster.ClusterView;
import io.lxcautoscale.model.cluster.HaPlacementRule;
import io.lxcautoscale.model.cluster.HistoryHandOff;
import io.lxcautoscale.model.cluster.Migrations;
import io.lxcautoscale.model.cluster.PlacementAdvisor;
import io.lxcautoscale.model.cluster.WantedSize;
import io.lxcautoscale.model.features.FeatureExtractor;
import io.lxcautoscale.model.forest.AnomalyModel;
import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.history.HistoryStore;
import io.lxcautoscale.model.history.StepHistory;
import io.lxcautoscale.model.history.StepHistoryJson;
import io.lxcautoscale.model.history.ViewBuilder;
import io.lxcautoscale.model.journal.Outcome;
import io.lxcautoscale.model.journal.SuggestionJournal;
import io.lxcautoscale.model.notify.Event;
import io.lxcautoscale.model.notify.EventType;
import io.lxcautoscale.model.notify.Notifications;
import io.lxcautoscale.model.observe.ContainerMetrics;
import io.lxcautoscale.model.observe.CycleMetrics;
import io.lxcautoscale.model.observe.MetricsEndpoint;
import io.lxcautoscale.model.policy.Action;
import io.lxcautoscale.model.policy.Allocation;
import io.lxcautoscale.model.policy.Anomaly;
import io.lxcautoscale.model.policy.ContainerView;
import io.lxcautoscale.model.policy.Decision;
import io.lxcautoscale.model.policy.NodeCapacity;
import io.lxcautoscale.model.policy.CandidateBank;
import io.lxcautoscale.model.policy.PolicyState;
import io.lxcautoscale.model.policy.Recommender;
import io.lxcautoscale.model.policy.ScalingPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model daemon's loop: every {@code interval_seconds} read the new metrics lines, retrain the
 * anomaly model when due, fetch allocations once, decide for every container with the pure policy, act
 * through the API and journal every decision.
 */
public final class ModelDaemon implements Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(ModelDaemon.class);

    /** What one cycle did (for logs, tests and the benchmark). */
    public record CycleReport(int snapshotsRead, long rowsInMemory, boolean retrained, int decisions, int changes,
                              int applied, int failed, int skipped, String error) {
    }

    private final MetricsReader reader;
    private final HistoryStore store;
    /** Feeds the samples read straight into {@link #store} as primitive rows. */
    private final SnapshotDecoder storeRows;
    private final CircuitBreaker breaker;
    private final SuggestionJournal journal;
    private final Clock clock;
    private final boolean once;
    /** Settings handed over by a reload, taken on the daemon's thread between cycles. */
    private final AtomicReference<Settings> pendingSettings = new AtomicReference<>();
    // replaced only on the daemon's thread, between cycles (applyPendingSettings)
    private ModelConfig config;
    private FeatureExtractor features;
    private ApiClient api;
    private ScalingPolicy policy;
    private Actuator actuator;
    private boolean retrainRequested;
    private final Map<String, PolicyState> states = new HashMap<>();
    /** Each container's learned-recommender bank ({@code scaling.recommender}), fed one step at a time. */
    private final Map<String, CandidateBank> banks = new HashMap<>();
    /** OOM kills each container's view of this cycle saw (what an applied increase answers). */
    private final Map<String, Integer> oomKillsSeen = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object sleepLock = new Object();
    private volatile boolean stopping;
    /** What {@code /metrics} exports per container; updated at the end of each cycle's decisions. */
    private final ContainerMetrics metrics = new ContainerMetrics();
    private final CycleMetrics cycleMetrics = new CycleMetrics();
    private final Notifications notifications;
    /** OOM kills of each container already notified (its history's count at the last cycle). */
    private final Map<String, Long> oomKillsNotified = new HashMap<>();
    private boolean firstCycleDone;
    private boolean apiUnreachable;
    private MetricsEndpoint endpoint;
    /** Held while the cycle changes the histories, and by a {@code /history/{vmid}} request copying one. */
    private final ReentrantLock storeLock = new ReentrantLock();
    /** The HA node-affinity rules of this cycle, read when an HA-managed container first needs them; null = not yet. */
    private Map<Integer, PveHaNodeAffinity> haRules;
    private boolean haRulesUnreadable;
    /** Takes over migrated containers' histories (cluster mode), or null. */
    private HistoryHandOff handOff;
    /** The cluster's view each cycle ({@code cluster.enabled}), or null: this host alone. */
    private final ClusterSource cluster;
    private boolean clusterUnreachable;
    private boolean localNodeUnknown;
    /** The opt-in migrations ({@code cluster.migrate}), or null: recommendations only. */
    private final Migrations migrations;
    /** The node last recommended for each container, so a standing recommendation is logged once. */
    private final Map<String, String> recommended = new HashMap<>();

    private AnomalyModel model;
    private int cyclesSinceTraining;
    private long rowsSinceTraining;

    public ModelDaemon(ModelConfig config, ApiClient api, SuggestionJournal journal, Clock clock, boolean once) {
        this(config, api, journal, clock, once, null);
    }

    /**
     * @param cluster where each cycle's cluster view comes from (cluster mode), or null for this host alone
     */
    public ModelDaemon(ModelConfig config, ApiClient api, SuggestionJournal journal, Clock clock, boolean once, ClusterSource cluster) {
        this(config, api, journal, clock, once, cluster, null);
    }

    /**
     * @param cluster    where each cycle's cluster view comes from (cluster mode), or null for this host alone
     * @param migrations the opt-in migrations of recommended containers ({@code cluster.migrate}), or null
     */
    public ModelDaemon(ModelConfig config, ApiClient api, SuggestionJournal journal, Clock clock, boolean once, ClusterSource cluster,
                       Migrations migrations) {
        this.config = config;
        this.cluster = cluster;
        this.migrations = migrations;
        this.reader = new MetricsReader(config.dataFile());
        this.store = new HistoryStore(config.history().rawRowsPerContainer(), config.history().stepSeconds(),
                config.history().stepsPerContainer());
        this.storeRows = store.decoder(() -> rowsSinceTraining++);
        this.features = featuresOf(config);
        this.api = api;
        this.breaker = new CircuitBreaker(config.breaker().enabled(), config.breaker().failureThreshold(),
                config.breaker().timeoutSeconds(), clock);
        this.journal = journal;
        this.notifications = Notifications.of(config.notifications());
        this.breaker.listener(new CircuitBreaker.Listener() {
            @Override
            public void opened(String key, Instant until) {
                notifications.submit(new Event(EventType.BREAKER_OPENED, vmidOf(key),
                        "The circuit breaker " + key + " opened after failed changes: no " + key.substring(key.indexOf('/') + 1)
                                + " change is tried before " + until + ".", clock.instant()));
            }

            @Override
            public void closed(String key) {
                notifications.submit(new Event(EventType.BREAKER_CLOSED, vmidOf(key),
                        "The circuit breaker " + key + " closed: a trial change succeeded.", clock.instant()));
            }
        });
        this.actuator = new Actuator(api, breaker);
        this.policy = policyOf(config);
        this.clock = clock;
        this.once = once;
        try {
            states.putAll(SuggestionJournal.lastChanges(config.suggestionsFile()));
        } catch (IOException e) {
            LOG.warn("cannot read the decision journal {} to restore cooldowns: {}", config.suggestionsFile(), e.getMessage());
        }
    }

    private static String vmidOf(String breakerKey) {
        int slash = breakerKey.indexOf('/');
        return slash < 0 ? breakerKey : breakerKey.substring(0, slash);
    }

    @Override
    public int run() throws Exception {
        if (!once) {
            serveMetrics();
        }
        try {
            while (!stopping) {
                long started = System.nanoTime();
                CycleReport report;
                try {
                    report = runCycle();
                } catch (IOException | RuntimeException e) {
                    LOG.error("cycle failed: {}", e.toString(), e);
                    report = null;
                }
                if (once) {
                    return report == null || report.error() != null ? ExitCodes.FAILURE : ExitCodes.OK;
                }
                synchronized (sleepLock) {
                    while (!stopping) {
                        applyPendingSettings(); // here, so a reload also changes the wait for the next cycle
                        long waitMillis = config.intervalSeconds() * 1000L - (System.nanoTime() - started) / 1_000_000;
                        if (waitMillis <= 0) {
                            break;
                        }
                        sleepLock.wait(waitMillis);
                    }
                }
            }
            return ExitCodes.OK;
        } finally {
            close();
        }
    }

    /**
     * Starts the Prometheus endpoint on {@code metrics_endpoint} (no-op when off or already started). A port that
     * cannot be bound is logged, not fatal: decisions matter more than their metrics.
     */
    public void serveMetrics() {
        ModelConfig.Listen at = config.metricsEndpoint();
        if (at == null || endpoint != null) {
            return;
        }
        try {
            endpoint = MetricsEndpoint.start(at.host(), at.port(), List.of(cycleMetrics, metrics, notifications));
            endpoint.serveHistory(this::stepsJson);
            LOG.info("Prometheus metrics at http://{}:{}/metrics", at.host(), endpoint.port());
        } catch (IOException | RuntimeException e) {
            LOG.error("metrics_endpoint {}:{} cannot be served: {}; the daemon goes on without it", at.host(), at.port(), e.toString());
        }
    }

    /** The endpoint serving {@code /metrics}, or null when not started. */
    public MetricsEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Closes the metrics file and the journal, stops the metrics endpoint and the notifications thread; {@link #run()}
     * does it on return, an embedding program after its last cycle.
     */
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            try {
                journal.close();
            } finally {
                if (endpoint != null) {
                    endpoint.close();
                }
                notifications.close();
            }
        }
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
    }

    /** A reloaded configuration and the API client built from it. */
    private record Settings(ModelConfig config, ApiClient api) {
    }

    /**
     * Hands a reloaded configuration to the daemon, which takes it between cycles on its own thread; history,
     * cooldowns, the circuit breakers and the metrics file position are kept. Safe from any thread.
     *
     * @param newConfig the settings to use, with the restart-only ones (files, history sizes, breaker) as running
     * @param newApi    the API client built from {@code newConfig}
     */
    public void replaceSettings(ModelConfig newConfig, ApiClient newApi) {
        pendingSettings.set(new Settings(newConfig, newApi));
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
    }

    private void applyPendingSettings() {
        Settings next = pendingSettings.getAndSet(null);
        if (next == null) {
            return;
        }
        boolean modelChanged = !next.config().model().equals(config.model()) || !next.config().spike().equals(config.spike());
        config = next.config();
        api = next.api();
        actuator = new Actuator(api, breaker);
        features = featuresOf(config);
        policy = policyOf(config);
        retrainRequested |= modelChanged;
        LOG.info("new settings in effect from the next cycle (interval {} s{}{})", config.intervalSeconds(),
                config.dryRun() ? ", dry run" : "", modelChanged ? ", anomaly model retrained at the next cycle" : "");
    }

    private static FeatureExtractor featuresOf(ModelConfig config) {
        return new FeatureExtractor(config.spike().rollingWindow(), config.spike().trendWindow(), config.spike().spikeThreshold());
    }

    private static ScalingPolicy policyOf(ModelConfig config) {
        return new ScalingPolicy(config.policy(), config.tiers(), new HashSet<>(config.ignoreLxc()), new HashSet<>(config.optOutTags()));
    }

    /** Reads the metrics lines written since the last call; returns how many snapshots. */
    public int readMetrics() throws IOException {
        int before = (int) store.totalRows();
        int snapshots = reader.poll(storeRows);
        if (reader.corruptLines() > 0 && snapshots > 0) {
            LOG.debug("metrics file {}: {} corrupt line(s) skipped so far", config.dataFile(), reader.corruptLines());
        }
        LOG.debug("read {} snapshot(s) from {} ({} rows in memory, was {})", snapshots, config.dataFile(), store.totalRows(), before);
        return snapshots;
    }

    /** Retrains when there is no model, every {@code retrain_every_cycles}, or after {@code retrain_new_rows} new rows. */
    public boolean retrainIfDue() {
        cyclesSinceTraining++;
        ModelConfig.ForestConfig m = config.model();
        if (model != null && !retrainRequested && cyclesSinceTraining < m.retrainEveryCycles() && rowsSinceTraining < m.retrainNewRows()) {
            return false;
        }
        return retrain();
    }

    /** Trains a new model on the histories now; false (and the old model kept) when there is too little data. */
    public boolean retrain() {
        ModelConfig.ForestConfig m = config.model();
        long t0 = System.nanoTime();
        AnomalyModel trained = AnomalyModel.train(store.all(), features, m.settings());
        if (trained == null) {
            LOG.info("anomaly model not trained yet: too little history ({} rows)", store.totalRows());
            return false;
        }
        model = trained;
        retrainRequested = false;
        cyclesSinceTraining = 0;
        rowsSinceTraining = 0;
        LOG.info("anomaly model trained on {} rows of {} containers in {} ms (threshold {})", trained.trainingRows(),
                store.all().size(), (System.nanoTime() - t0) / 1_000_000, String.format("%.4f", trained.threshold()));
        return true;
    }

    /** One full cycle at the clock's current time. */
    public CycleReport runCycle() throws IOException {
        Instant now = clock.instant();
        int snapshots;
        storeLock.lock();
        try {
            snapshots = readMetrics();
            store.forgetOlderThan(now.getEpochSecond() - config.history().forgetAfterSeconds());
        } finally {
            storeLock.unlock();
        }
        if (snapshots > 0 || !store.all().isEmpty()) {
            states.keySet().retainAll(store.all().stream().map(ContainerHistory::vmid).toList());
            banks.keySet().retainAll(store.all().stream().map(ContainerHistory::vmid).toList());
        }
        List<String> known = store.all().stream().map(ContainerHistory::vmid).toList();
        metrics.retain(known);
        oomKillsNotified.keySet().retainAll(known);
        notifications.retain(known);
        notifications.tick(now);
        noticeOomKills(now);
        boolean retrained = retrainIfDue();

        ApiClient.Configs configs;
        ApiClient.NodeStatus nodeStatus;
        try {
            configs = api.fetchConfigs();
            nodeStatus = api.fetchNode();
        } catch (ApiException e) {
            LOG.error("cannot fetch allocations, no decisions this cycle: {}", e.getMessage());
            journalUnreachable(now, e.getMessage());
            cycleMetrics.cycle(now, false);
            if (!apiUnreachable) {
                apiUnreachable = true;
                notifications.submit(new Event(EventType.API_UNREACHABLE, null,
                        "The API " + config.api().apiUrl() + " cannot be reached, no decisions until it is back: " + e.getMessage(), now));
            }
            return new CycleReport(snapshots, store.totalRows(), retrained, 0, 0, 0, 0, 0, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CycleReport(snapshots, store.totalRows(), retrained, 0, 0, 0, 0, 0, "interrupted");
        }

        if (apiUnreachable) {
            apiUnreachable = false;
            notifications.submit(new Event(EventType.API_BACK, null, "The API " + config.api().apiUrl() + " answers again.", now));
        }
        metrics.node(configs.node());
        long allocatedCores = 0;
        long allocatedMemory = 0;
        for (Allocation a : configs.allocations().values()) {
            if (a.running()) {
                allocatedCores += a.cores() > 0 ? a.cores() : nodeStatus.cpus();
                allocatedMemory += a.memoryMb();
            }
        }
        ClusterView clusterView = fetchCluster();
        haRules = null;
        haRulesUnreadable = false;
        if (clusterView != null && handOff != null) {
            takeOverHistories(clusterView);
        }
        List<ObjectNode> recommendations = new ArrayList<>();
        if (migrations != null) { // the tasks started on earlier cycles: asked once, never waited for
            recommendations.addAll(migrations.follow(now));
        }
        List<Decision> decisions = new ArrayList<>();
        oomKillsSeen.clear(); // this cycle's views only: a forgotten container leaves nothing behind
        long staleBefore = now.getEpochSecond() - config.effectiveMaxMetricsAgeSeconds();
        for (ContainerHistory h : store.all()) {
            Allocation current = configs.allocations().get(h.vmid());
            Anomaly anomaly = model == null ? Anomaly.NONE : model.scoreLatest(h);
            String notOurs = clusterView == null ? null : clusterView.skipReason(h.vmid());
            if (notOurs != null) { // another node's, locked or moving (docs/cluster.md)
                decisions.add(Decision.skip(h.vmid(), current == null ? 0 : current.cores(), current == null ? 0 : current.memoryMb(),
                        anomaly, notOurs));
                continue;
            }
            if (current == null) {
                String why = configs.unusable().getOrDefault(h.vmid(), "not in the API's container list");
                decisions.add(Decision.skip(h.vmid(), 0, 0, anomaly, "skipped: allocation unknown (" + why + ")"));
                continue;
            }
            NodeCapacity node = new NodeCapacity(nodeStatus.cpus(), nodeStatus.memoryMb(), allocatedCores, allocatedMemory);
            int cores = current.effectiveCores(node);
            metrics.update(h.vmid(), new ContainerMetrics.CycleView(null, (double) cores, ContainerMetrics.bytes(current.memoryMb()), null));
            if (h.lastEpochSecond() < staleBefore) {
                decisions.add(Decision.skip(h.vmid(), cores, current.memoryMb(), anomaly,
                        "skipped: metrics stale (last sample " + Instant.ofEpochSecond(h.lastEpochSecond()) + ")"));
                continue;
            }
            ContainerView view = ViewBuilder.build(h, cores, config.intervalSeconds(), anomaly);
            oomKillsSeen.put(h.vmid(), view.oomKills());
            Decision d;
            CandidateBank bank = null;
            PolicyState state = states.getOrDefault(h.vmid(), PolicyState.INITIAL);
            try {
                if (config.recommender()) {
                    bank = banks.computeIfAbsent(h.vmid(),
                            k -> Recommender.newBank(policy.settingsFor(current), config.history().stepSeconds()));
                    bank.observe(view);
                }
                d = policy.decide(view, current, node, state, bank, now);
            } catch (RuntimeException e) {
                // one container's odd data must not cost the others their decisions, nor itself its journal line
                LOG.error("container {}: deciding failed: {}", h.vmid(), e.toString(), e);
                decisions.add(Decision.skip(h.vmid(), cores, current.memoryMb(), anomaly, "no decision: " + e));
                continue;
            }
            if (view.oomKills() > 0 && d.memoryAction() == Action.NONE && d.memoryMbAfter() >= policy.settingsFor(current).memory().maxMb()) {
                // at max_ram_mb there is nothing more to give: the kills are answered, or memory could never go down again
                LOG.warn("container {}: {} oom_kill event(s) at max_ram_mb ({} MiB): memory cannot grow", h.vmid(), view.oomKills(), d.memoryMbAfter());
                h.acknowledgeOomKills(view.oomKills());
            }
            // later containers see this one's growth, so two cannot both take the last free memory
            if (d.changes() && current.running()) {
                allocatedCores += d.coresAfter() - d.coresBefore();
                allocatedMemory += d.memoryMbAfter() - d.memoryMbBefore();
            }
            exportView(view, current, d, cores);
            if (WantedSize.capped(d)) {
                notifications.submit(new Event(EventType.CAPACITY_CAPPED, h.vmid(), "The decision for container " + h.vmid()
                        + " was capped by the node's capacity: " + d.reason(), now));
                if (clusterView != null) {
                    WantedSize wanted = WantedSize.of(policy, view, current, node, state, bank, now, d);
                    recommendations.addAll(recommendPlacement(now, clusterView, d, wanted));
                }
            }
            decisions.add(d);
        }
        recommended.keySet().retainAll(known);
        for (ObjectNode r : recommendations) { // before the decisions: each container's latest entry stays its decision
            appendToJournal(r);
        }
        CycleReport report = act(now, decisions, snapshots, retrained);
        cycleMetrics.cycle(now, true);
        return report;
    }

    /** Puts the steps of containers that migrated here in front of their histories here (docs/cluster.md). */
    private void takeOverHistories(ClusterView view) {
        handOff.observe(view);
        Map<String, String> from = handOff.due();
        if (from.isEmpty()) {
            return;
        }
        Set<String> sampledHere = new HashSet<>();
        for (ContainerHistory h : store.all()) {
            sampledHere.add(h.vmid());
        }
        for (StepHistory steps : handOff.fetchDue(sampledHere)) {
            int taken;
            storeLock.lock();
            try {
                taken = store.adoptEarlierSteps(steps);
            } finally {
                storeLock.unlock();
            }
            cycleMetrics.historyTakenOver(taken);
            banks.remove(steps.vmid()); // rebuilt at its next decision, from the whole history
            LOG.info("container {}: {} of the {} steps its model on {} kept ({} with memory) put in front of its history here", steps.vmid(),
                    taken, steps.size(), from.get(steps.vmid()), steps.stepsWithMemory());
        }
    }

    /** The steps of a container as JSON for {@code /history/{vmid}}; waits at most 2 s for a cycle reading the metrics. */
    private Optional<String> stepsJson(String vmid) throws MetricsEndpoint.Busy {
        StepHistory steps;
        try {
            if (!storeLock.tryLock(2, TimeUnit.SECONDS)) {
                throw new MetricsEndpoint.Busy("the model is reading the metrics file; ask again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetricsEndpoint.Busy("interrupted");
        }
        try {
            ContainerHistory h = store.get(vmid);
            if (h == null) {
                return Optional.empty();
            }
            steps = h.steps();
        } finally {
            storeLock.unlock();
        }
        return Optional.of(StepHistoryJson.write(steps));
    }

    /** Takes over the histories of containers that migrate to this node from the others (cluster mode). */
    public void followHistory(HistoryHandOff handOff) {
        this.handOff = handOff;
    }

    /** This cycle's cluster view, or null when not in cluster mode or when the Proxmox API cannot give it. */
    private ClusterView fetchCluster() {
        if (cluster == null) {
            return null;
        }
        try {
            ClusterView v = cluster.fetch();
            boolean unknown = v.node(v.localNode()).isEmpty();
            if (unknown && !localNodeUnknown) {
                LOG.warn("node '{}' is not among the cluster's nodes {}: every container is skipped as another node's; set "
                        + "cluster.node to this node's Proxmox name", v.localNode(),
                        v.nodes().stream().map(ClusterView.NodeState::name).toList());
            }
            localNodeUnknown = unknown;
            if (clusterUnreachable) {
                clusterUnreachable = false;
                LOG.info("cluster view from {} available again", cluster);
            }
            return v;
        } catch (RuntimeException e) {
            if (!clusterUnreachable) {
                LOG.warn("cannot read the cluster view from {}: {}; deciding for this host's containers with the local view "
                        + "until it answers", cluster, e.getMessage());
            } else {
                LOG.debug("cluster view still unavailable: {}", e.getMessage());
            }
            clusterUnreachable = true;
            return null;
        }
    }

    /**
     * The {@code recommend_migrate} entry for a capped decision when another node has room (logged when new), followed
     * by the {@code migrate_started} (or {@code migrate_failed}) entry when {@code cluster.migrate} starts its migration now.
     */
    private List<ObjectNode> recommendPlacement(Instant now, ClusterView view, Decision d, WantedSize wanted) {
        PlacementAdvisor advisor = new PlacementAdvisor(config.policy().node(), config.cluster().noMigrateTag());
        Optional<HaPlacementRule> haRule = Optional.empty();
        if (view.container(d.vmid()).flatMap(PveGuest::hastate).isPresent()) {
            Map<Integer, PveHaNodeAffinity> rules = haRulesThisCycle();
            if (rules == null) {
                recommended.remove(d.vmid());
                return List.of(); // HA's rules unknown: a recommendation HA might undo is worse than none
            }
            haRule = Optional.ofNullable(rules.get(Integer.parseInt(d.vmid()))).map(HaPlacementRule::new);
        }
        Optional<PlacementAdvisor.Recommendation> r = advisor.advise(view, d.vmid(), wanted.cores(), wanted.memoryMb(),
                WantedSize.capReasons(d), haRule);
        if (r.isEmpty()) {
            recommended.remove(d.vmid());
            LOG.debug("container {}: capped by its node's capacity, and no other node has room for it (or it is opted out)", d.vmid());
            return List.of();
        }
        if (!r.get().toNode().equals(recommended.put(d.vmid(), r.get().toNode()))) {
            LOG.info("container {}: recommend migrating it to {}: {}", d.vmid(), r.get().toNode(), r.get().reason());
        }
        List<ObjectNode> entries = new ArrayList<>();
        entries.add(SuggestionJournal.recommendation(now, r.get(), d.coresBefore(), d.memoryMbBefore()));
        if (migrations != null) {
            migrations.startIfDue(now, view, r.get(), d.coresBefore(), d.memoryMbBefore()).ifPresent(entries::add);
        }
        return entries;
    }

    /** This cycle's HA node-affinity rules, read once when first needed; null when they cannot be read (logged). */
    private Map<Integer, PveHaNodeAffinity> haRulesThisCycle() {
        if (haRules == null && !haRulesUnreadable) {
            try {
                haRules = cluster.haNodeAffinity();
            } catch (RuntimeException e) {
                haRulesUnreadable = true;
                LOG.warn("cannot read the HA rules and groups from {}: {}; no HA-managed container gets a placement "
                        + "recommendation this cycle (Sys.Audit on / is needed)", cluster, e.getMessage());
            }
        }
        return haRules;
    }

    private void appendToJournal(ObjectNode entry) {
        try {
            journal.append(entry);
        } catch (IOException e) {
            LOG.error("cannot write the decision journal {}: {}", config.suggestionsFile(), e.getMessage());
        }
    }

    private CycleReport act(Instant now, List<Decision> decisions, int snapshots, boolean retrained) {
        int changes = 0;
        int applied = 0;
        int failed = 0;
        int skipped = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(config.api().maxConcurrent(), decisions.size())));
        try {
            List<Future<ObjectNode>> entries = new ArrayList<>();
            for (Decision d : decisions) {
                if (d.skipped()) {
                    skipped++;
                    LOG.debug("container {}: {}", d.vmid(), d.reason());
                    entries.add(CompletableFuture.completedFuture(SuggestionJournal.entry(now, d, Outcome.SKIPPED, null)));
                } else if (!d.changes()) {
                    LOG.debug("container {}: no change ({})", d.vmid(), d.reason());
                    entries.add(CompletableFuture.completedFuture(SuggestionJournal.entry(now, d, Outcome.NO_CHANGE, null)));
                } else if (config.dryRun()) {
                    changes++;
                    LOG.info("[dry_run] Would scale container {}: CPU - {} (-> {}), RAM - {} (-> {}) | Confidence: {}% | {}",
                            d.vmid(), d.cpuAction().logName(), d.coresAfter(), d.memoryAction().logName(), d.memoryMbAfter(),
                            String.format("%.2f", d.confidence()), d.reason());
                    entries.add(CompletableFuture.completedFuture(SuggestionJournal.entry(now, d, Outcome.DRY_RUN, null)));
                } else {
                    changes++;
                    entries.add(pool.submit(() -> apply(now, d)));
                }
            }
            for (int i = 0; i < entries.size(); i++) {
                ObjectNode entry = outcomeOf(now, decisions.get(i), entries.get(i));
                String outcome = entry.path("outcome").asText();
                if (outcome.equals(Outcome.APPLIED.json())) {
                    applied++;
                } else if (outcome.equals(Outcome.FAILED.json())) {
                    failed++;
                }
                countAndNotify(now, decisions.get(i), entry);
                try {
                    journal.append(entry);
                } catch (IOException e) {
                    LOG.error("cannot write the decision journal {}: {}", config.suggestionsFile(), e.getMessage());
                }
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("cycle: {} snapshot(s) read, {} container(s) decided, {} change(s): {} applied, {} failed, {} skipped{}",
                snapshots, decisions.size(), changes, applied, failed, skipped, config.dryRun() ? " (dry run)" : "");
        return new CycleReport(snapshots, store.totalRows(), retrained, decisions.size(), changes, applied, failed, skipped, null);
    }

    /** The journal entry of one decision's handling; a handling that threw is journaled as failed, never lost. */
    private static ObjectNode outcomeOf(Instant now, Decision d, Future<ObjectNode> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SuggestionJournal.entry(now, d, Outcome.FAILED, "interrupted while applying");
        } catch (ExecutionException e) {
            LOG.error("container {}: applying the decision failed unexpectedly: {}", d.vmid(), e.getCause().toString(), e.getCause());
            return SuggestionJournal.entry(now, d, Outcome.FAILED, "unexpected error: " + e.getCause());
        }
    }

    /**
     * Journals one failed entry per known container when the API cannot be reached, so that an outage shows in
     * the journal and in {@code explain} rather than as a silent gap; nothing is decided or changed.
     */
    private void journalUnreachable(Instant now, String error) {
        for (ContainerHistory h : store.all()) {
            boolean ignored = config.ignoreLxc().contains(h.vmid()); // needs no allocation to be left alone
            Decision d = Decision.skip(h.vmid(), 0, 0, Anomaly.NONE,
                    ignored ? "skipped: listed in ignore_lxc" : "no decision: allocations could not be fetched from the API");
            try {
                journal.append(SuggestionJournal.entry(now, d, ignored ? Outcome.SKIPPED : Outcome.FAILED, ignored ? null : error));
            } catch (IOException e) {
                LOG.error("cannot write the decision journal {}: {}", config.suggestionsFile(), e.getMessage());
                return;
            }
        }
    }

    /**
     * Applies one decision through the {@link Actuator}; records the cooldown of each resource that was
     * applied, and acknowledges the pending OOM kills only when a memory increase was applied.
     */
    private ObjectNode apply(Instant now, Decision d) throws InterruptedException {
        Actuation a = actuator.apply(d);
        synchronized (states) {
            PolicyState before = states.getOrDefault(d.vmid(), PolicyState.INITIAL);
            states.put(d.vmid(), new PolicyState(
                    a.cpu() == Actuation.Step.APPLIED ? now : before.lastCpuChangeAt(),
                    a.memory() == Actuation.Step.APPLIED ? now : before.lastMemoryChangeAt()));
        }
        if (a.memory() == Actuation.Step.APPLIED && d.memoryAction() == Action.UP) {
            ContainerHistory h = store.get(d.vmid());
            if (h != null) {
                h.acknowledgeOomKills(oomKillsSeen.getOrDefault(d.vmid(), 0));
            }
        }
        return SuggestionJournal.entry(now, d, a);
    }

    /** Exports one container's usage, allocation and the policy's recommendation with its bounds. */
    private void exportView(ContainerView view, Allocation current, Decision d, int cores) {
        ContainerMetrics.Usage usage = new ContainerMetrics.Usage(view.recentCpuCores(), ContainerMetrics.bytes(view.recentMemoryMb()),
                view.throttledFraction(), view.cpuPressurePercent() / 100.0, view.memoryPressurePercent() / 100.0);
        ContainerMetrics.Recommendation rec = null;
        if (!d.skipped()) {
            io.lxcautoscale.model.policy.PolicySettings s = policy.settingsFor(current);
            rec = new ContainerMetrics.Recommendation(d.coresAfter(), s.cpu().minCores(), s.cpu().maxCores(),
                    ContainerMetrics.bytes(d.memoryMbAfter()), ContainerMetrics.bytes(s.memory().minMb()),
                    ContainerMetrics.bytes(s.memory().maxMb()));
        }
        metrics.update(view.vmid(), new ContainerMetrics.CycleView(usage, (double) cores, ContainerMetrics.bytes(current.memoryMb()), rec));
    }

    /**
     * Exports each container's OOM kill counter and notifies the kills that arrived since the last cycle (the
     * kills already in the metrics file when the daemon starts are counted but not notified).
     */
    private void noticeOomKills(Instant now) {
        for (ContainerHistory h : store.all()) {
            long seen = h.oomKillsSeen();
            metrics.oomKills(h.vmid(), seen);
            Long before = oomKillsNotified.put(h.vmid(), seen);
            long base = before != null ? before : firstCycleDone ? 0 : seen;
            if (seen > base) {
                notifications.submit(new Event(EventType.OOM_KILL, h.vmid(), "Container " + h.vmid() + ": " + (seen - base)
                        + " OOM kill(s) in its latest samples (" + seen + " since the daemon started).", now));
            }
        }
        firstCycleDone = true;
    }

    /** Counts a decision's changes per resource in the metrics and notifies the applied or failed ones. */
    private void countAndNotify(Instant now, Decision d, ObjectNode entry) {
        String outcome = entry.path("outcome").asText();
        if (d.cpuAction() != Action.NONE) {
            metrics.decision(d.vmid(), "cpu", d.cpuAction() == Action.UP ? "up" : "down", entry.path("cpu_outcome").asText(outcome));
        }
        if (d.memoryAction() != Action.NONE) {
            metrics.decision(d.vmid(), "memory", d.memoryAction() == Action.UP ? "up" : "down", entry.path("ram_outcome").asText(outcome));
        }
        String change = "cores " + d.coresBefore() + " -> " + d.coresAfter() + ", memory " + d.memoryMbBefore() + " -> "
                + d.memoryMbAfter() + " MiB";
        if (outcome.equals(Outcome.APPLIED.json())) {
            notifications.submit(new Event(EventType.CHANGE_APPLIED, d.vmid(), "Container " + d.vmid() + ": " + change
                    + ". Why: " + d.reason(), now));
        } else if (outcome.equals(Outcome.FAILED.json()) && d.changes()) {
            notifications.submit(new Event(EventType.CHANGE_FAILED, d.vmid(), "Container " + d.vmid() + ": " + change
                    + " was not made: " + entry.path("error").asText("unknown error") + ". Why it was wanted: " + d.reason(), now));
        }
    }

    /** The per-container series served on {@code /metrics}. */
    public ContainerMetrics metrics() {
        return metrics;
    }

    /** The notifications (tests). */
    public Notifications notifications() {
        return notifications;
    }

    /** The histories (benchmark and tests). */
    public HistoryStore store() {
        return store;
    }

    public AnomalyModel model() {
        return model;
    }
}
