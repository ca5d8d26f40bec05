package io.lxcautoscale.model.replay.adapter;

import io.lxcautoscale.model.ModelConfig;
import io.lxcautoscale.model.replay.PolicyCatalog;
import io.lxcautoscale.model.replay.sim.Bounds;
import io.lxcautoscale.model.replay.sim.Observation;
import io.lxcautoscale.model.replay.sim.PolicyFactory;
import io.lxcautoscale.model.replay.sim.Resources;
import io.lxcautoscale.model.replay.sim.Simulator;
import io.lxcautoscale.model.replay.sim.TraceScore;
import io.lxcautoscale.model.replay.trace.Trace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelPolicyAdapterTest {
    private static final ModelConfig CONFIG = ModelPolicyFactory.loadConfig(null);

    /** Two days of a quiet container (0.3 cores, 1000 MiB) on 4 cores / 8 GiB, then a memory surge to 4000 MiB. */
    static Trace quietThenSurge() {
        int n = 600;
        long[] t = new long[n];
        double[] cpu = new double[n];
        double[] mem = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_700_000_000L + 300L * i;
            cpu[i] = 0.3;
            mem[i] = i < 576 ? 1000 : 4000;
        }
        return new Trace("quiet", 300, t, cpu, mem, 4, 8192);
    }

    @Test
    void theDaemonsPolicyShrinksAQuietContainerAndGrowsMemoryAfterAnOom() {
        PolicyFactory f = new PolicyCatalog(CONFIG).resolve(List.of("default"), false).get(0);
        ModelPolicyAdapter p = (ModelPolicyAdapter) f.create(Bounds.forProvisioned(4, 8192, true), 300);
        Resources r = new Resources(4, 8192);
        int oomStep = -1;
        for (int i = 0; i < 600; i++) {
            double demandMb = i < 576 ? 1000 : 4000;
            boolean oom = demandMb > r.memoryMb();
            if (oom && oomStep < 0) {
                oomStep = i;
            }
            Observation o = new Observation(i, 1_700_000_000L + 300L * i, Math.min(0.3, r.cores()),
                    Math.min(demandMb, r.memoryMb()), r.cores(), r.memoryMb(), false, 0, oom);
            Resources next = p.observe(o);
            if (oom) {
                // an oom_kill is urgent in the daemon's policy: memory must grow at once
                assertThat(next.memoryMb()).as("after the OOM at step %d", i).isGreaterThan(r.memoryMb());
                assertThat(p.lastDecision().reason()).contains("oom_kill");
            }
            r = next;
        }
        assertThat(r.cores()).isEqualTo(1);
        assertThat(oomStep).as("the surge found memory below 4000 MiB").isGreaterThanOrEqualTo(576);
        assertThat(r.memoryMb()).isGreaterThanOrEqualTo(4000);
    }

    @Test
    void ablationsAndSweepAreTheSamePolicyWithOneThingChanged() {
        PolicyCatalog catalog = new PolicyCatalog(CONFIG);
        List<PolicyFactory> all = catalog.resolve(List.of("default", "default-no-anomaly", "default-no-daily"), true);
        assertThat(all).extracting(PolicyFactory::name).startsWith("default", "default-no-anomaly", "default-no-daily")
                .contains("default@memory_risk=low", "default@memory_risk=lowest");
        ModelPolicyFactory def = (ModelPolicyFactory) all.get(0);
        ModelPolicyFactory noDaily = (ModelPolicyFactory) all.get(2);
        assertThat(def.settings()).isEqualTo(CONFIG.policy());
        assertThat(noDaily.settings().memory().dailyLookaheadSteps()).isZero();
        assertThat(noDaily.settings().withDailyLookaheadSteps(def.settings().memory().dailyLookaheadSteps()))
                .isEqualTo(def.settings());
        ModelPolicyFactory m = (ModelPolicyFactory) all.get(3);
        assertThat(m.settings().memory().risk()).isEqualTo(PolicyCatalog.SWEEP_RISKS.get(0));

        TraceScore withModel = Simulator.run(quietThenSurge(), def);
        TraceScore staticScore = Simulator.run(quietThenSurge(), catalog.resolve(List.of("static"), false).get(0));
        assertThat(withModel.cpuSlack()).isLessThan(staticScore.cpuSlack());
        assertThat(withModel.memorySlack()).isLessThan(staticScore.memorySlack());
    }
}
