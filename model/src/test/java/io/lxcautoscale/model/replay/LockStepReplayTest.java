package io.lxcautoscale.model.replay;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.replay.adapter.ModelHost;
import io.lxcautoscale.model.replay.adapter.ModelPolicyFactory;
import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.HostSession;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.PolicyResult;
import io.lxcautoscale.model.replay.sim.ReplayPolicy;
import io.lxcautoscale.model.replay.sim.ReplayRunner;
import io.lxcautoscale.model.replay.sim.Simulator;
import io.lxcautoscale.model.replay.sim.TraceScore;
import io.lxcautoscale.model.replay.trace.Trace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner replays all traces in lock step as one host; only the default policy's anomaly model is shared. */
class LockStepReplayTest {
    private static final ModelConfig CONFIG = ModelPolicyFactory.loadConfig(null);
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3, r -> {
        Thread t = new Thread(r, "replay-test-worker");
        t.setDaemon(true);
        return t;
    });

    @AfterAll
    static void shutdown() {
        POOL.shutdownNow();
    }

    /** Traces of different lengths, sizes and shapes (daily wave, noise, bursts, a memory leak). */
    static List<Trace> traces() {
        int[] lengths = {400, 330, 400, 288, 365, 400};
        int[] cores = {4, 2, 8, 1, 4, 2};
        int[] memory = {8192, 4096, 16384, 2048, 6000, 3000};
        List<Trace> out = new ArrayList<>();
        for (int k = 0; k < lengths.length; k++) {
            Random r = new Random(100 + k);
            int n = lengths[k];
            long[] t = new long[n];
            double[] cpu = new double[n];
            double[] mem = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = 1_700_000_000L + 300L * i;
                double wave = 0.5 + 0.5 * Math.sin(2 * Math.PI * i / 288.0 + k);
                double burst = r.nextInt(50) == 0 ? cores[k] : 0;
                cpu[i] = Math.max(0, cores[k] * 0.4 * wave + r.nextGaussian() * 0.2 + burst);
                mem[i] = memory[k] * (0.2 + 0.3 * wave + (k == 4 ? i / (double) n * 0.6 : 0)) + r.nextGaussian() * 50;
            }
            out.add(new Trace("vm" + k, 300, t, cpu, mem, cores[k], memory[k]));
        }
        return out;
    }

    @Test
    void lockStepGivesEachTraceExactlyItsIndependentRunForPoliciesThatShareNothing() {
        List<Trace> traces = traces();
        List<PolicyFactory> factories = new PolicyCatalog(CONFIG).resolve(
                List.of("static", "original", "vpa", "autopilot", "default-no-anomaly"), false);
        for (int threads : new int[] {1, 3}) {
            List<PolicyResult> results = ReplayRunner.run(traces, factories, POOL, threads);
            for (int p = 0; p < factories.size(); p++) {
                TraceScore total = TraceScore.EMPTY;
                for (int i = 0; i < traces.size(); i++) {
                    TraceScore alone = Simulator.run(traces.get(i), factories.get(p));
                    assertThat(results.get(p).perTrace().get(i)).as("%s on %s, %d threads", factories.get(p).name(),
                            traces.get(i).name(), threads).isEqualTo(alone);
                    total = total.plus(alone);
                }
                assertThat(results.get(p).totals()).isEqualTo(total);
            }
        }
    }

    @Test
    void theDefaultPolicyGivesTheSameResultsWithOneOrSeveralThreads() {
        List<Trace> traces = traces();
        List<PolicyFactory> factories = new PolicyCatalog(CONFIG).resolve(List.of("default", "default-no-daily"), false);
        List<PolicyResult> one = ReplayRunner.run(traces, factories, POOL, 1);
        List<PolicyResult> two = ReplayRunner.run(traces, factories, POOL, 2);
        List<PolicyResult> three = ReplayRunner.run(traces, factories, POOL, 3);
        assertThat(two).isEqualTo(one);
        assertThat(three).isEqualTo(one);
        assertThat(ReplayRunner.run(traces, factories, POOL, 2)).as("a second run").isEqualTo(one);
    }

    @Test
    void runningTracesThroughQuietCyclesGivesWhatWaitingAtEveryStepGives() {
        List<Trace> traces = traces();
        ModelPolicyFactory def = (ModelPolicyFactory) new PolicyCatalog(CONFIG).resolve(List.of("default"), false).get(0);
        PolicyFactory everyStep = withHost(def, host -> new HostSession() {
            @Override
            public ReplayPolicy join(Bounds bounds, long stepSeconds) {
                return host.join(bounds, stepSeconds);
            }

            @Override
            public void leave(ReplayPolicy policy) {
                host.leave(policy);
            }

            @Override
            public void cycle(int t) {
                host.cycle(t);
            }

            @Override
            public boolean hasCycle() {
                return true;
            }
            // quietCycles() = 0: every step waits for the cycle
        });
        assertThat(ReplayRunner.run(traces, everyStep, POOL, 2)).isEqualTo(ReplayRunner.run(traces, def, POOL, 2));
    }

    @Test
    void theDefaultPolicysHostTrainsOnePooledForestOverEveryLiveTraceOnTheDaemonsSchedule() {
        List<Trace> traces = traces();
        ModelPolicyFactory def = (ModelPolicyFactory) new PolicyCatalog(CONFIG).resolve(List.of("default"), false).get(0);
        List<ModelHost> hosts = new ArrayList<>();
        PolicyFactory spy = withHost(def, host -> {
            hosts.add((ModelHost) host);
            return host;
        });
        ReplayRunner.run(traces, spy, POOL, 2);

        assertThat(hosts).hasSize(1);
        ModelHost host = hosts.get(0);
        // first model once every container has min_rows_per_container (30) rows, i.e. at t = 29, then every
        // retrain_every_cycles (60) cycles: t = 29, 89, …, 389
        ModelConfig.ForestConfig m = CONFIG.model();
        assertThat(m.minRowsPerContainer()).isEqualTo(30);
        assertThat(m.retrainEveryCycles()).isEqualTo(60);
        assertThat(host.trainings()).isEqualTo(7);
        // the last training (t = 389, rows 0…389) pooled the traces still running: the three of 400 steps
        // (390 rows each) and none of those that had ended (288, 330, 365 steps)
        assertThat(host.containers()).isEqualTo(3);
        assertThat(host.model().trainingRows()).isEqualTo(3 * 390);
    }

    /** {@code def} as it is, except that its host session goes through {@code wrap}. */
    private static PolicyFactory withHost(ModelPolicyFactory def, UnaryOperator<HostSession> wrap) {
        return new PolicyFactory() {
            @Override
            public String name() {
                return def.name();
            }

            @Override
            public ReplayPolicy create(Bounds bounds, long stepSeconds) {
                return def.create(bounds, stepSeconds);
            }

            @Override
            public HostSession openHost() {
                return wrap.apply(def.openHost());
            }
        };
    }
}
