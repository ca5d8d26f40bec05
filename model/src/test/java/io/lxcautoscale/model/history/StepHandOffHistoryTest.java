package io.lxcautoscale.model.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lxcautoscale.common.json.Json;
import org.junit.jupiter.api.Test;

/** A container's steps handed from one node's history to another's after a migration: export, prepend, JSON. */
class StepHandOffHistoryTest {
    /** A row with CPU cores and memory measured, nothing else ({@link ContainerHistoryTest#row}). */
    private static double[] row(double cpuCores, double memoryMb) {
        return ContainerHistoryTest.row(Double.NaN, cpuCores, memoryMb, Double.NaN);
    }

    @Test
    void stepsAreTheClosedOnesThenTheOpenOneFromTheFirstStepsStart() {
        ContainerHistory h = new ContainerHistory("105", "web", 100, 300, 10);
        h.append(3000, row(1.0, 100));   // step 10
        h.append(3100, row(3.0, 300));   // step 10
        h.append(3900, row(0.5, 50));    // step 13; 11 and 12 without samples
        StepHistory s = h.steps();
        assertThat(s.firstStepStart()).isEqualTo(3000);
        assertThat(s.stepSeconds()).isEqualTo(300);
        assertThat(s.hostname()).isEqualTo("web");
        assertThat(s.cpuCores()).containsExactly(2.0f, Float.NaN, Float.NaN, 0.5f);
        assertThat(s.memoryPeakMb()).containsExactly(300f, Float.NaN, Float.NaN, 50f);
        assertThat(s.stepsWithMemory()).isEqualTo(2);
        assertThat(s.endEpochSecond()).isEqualTo(4200);
    }

    @Test
    void earlierStepsGoInFrontWithTheGapLeftUnknown() {
        // the new node's own history: steps 20 and 21 (21 open)
        ContainerHistory here = new ContainerHistory("105", "web", 100, 300, 10);
        here.append(6000, row(1.0, 500));
        here.append(6300, row(2.0, 600));
        // the old node kept steps 15..18; step 19 (the move) has no sample anywhere
        StepHistory earlier = new StepHistory("105", "web", 300, 4500, new float[] {0.1f, 0.2f, 0.3f, 0.4f},
                new float[] {110, 120, 130, 140});
        assertThat(here.prependSteps(earlier)).isEqualTo(4);
        double[][] s = here.stepSeries(1);
        assertThat(s[0]).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, Double.NaN, 1.0, 2.0);
        assertThat(s[1]).containsExactly(110.0, 120.0, 130.0, 140.0, Double.NaN, 500.0, 600.0);
        // its own steps go on after them
        here.append(6600, row(3.0, 700));
        assertThat(here.stepSeries(1)[1]).containsExactly(110.0, 120.0, 130.0, 140.0, Double.NaN, 500.0, 600.0, 700.0);
        assertThat(here.steps().firstStepStart()).isEqualTo(4500);
    }

    @Test
    void stepsThatOverlapItsOwnAreNotTakenAndTheRingKeepsTheNewest() {
        ContainerHistory here = new ContainerHistory("105", "web", 100, 300, 4);
        here.append(6000, row(1.0, 500)); // step 20, open
        // the old node's steps 17..20: step 20 is also here, so only 17..19 are taken; with the open step's ring of 4
        // closed steps nothing is closed yet, so all three fit
        StepHistory earlier = new StepHistory("105", "web", 300, 5100, new float[] {0.7f, 0.8f, 0.9f, 9f},
                new float[] {170, 180, 190, 999});
        assertThat(here.prependSteps(earlier)).isEqualTo(3);
        assertThat(here.stepSeries(1)[1]).containsExactly(170.0, 180.0, 190.0, 500.0);
        // a second offer of older steps: only one closed slot is left in the ring of 4 (3 taken), so step 16 goes in
        // and nothing older fits
        StepHistory older = new StepHistory("105", "web", 300, 4500, new float[] {0.5f, 0.6f}, new float[] {150, 160});
        assertThat(here.prependSteps(older)).isEqualTo(1);
        assertThat(here.stepSeries(1)[1]).containsExactly(160.0, 170.0, 180.0, 190.0, 500.0);
    }

    @Test
    void stepsOfAnotherLengthOrTooFarBackAreNotTaken() {
        ContainerHistory here = new ContainerHistory("105", "web", 100, 300, 4);
        here.append(6000, row(1.0, 500));
        assertThat(here.prependSteps(new StepHistory("105", "web", 60, 5940, new float[] {1}, new float[] {1}))).isZero();
        // step 10 ends 9 steps before step 20: the gap alone would fill the ring of 4
        assertThat(here.prependSteps(new StepHistory("105", "web", 300, 3000, new float[] {1}, new float[] {1}))).isZero();
        assertThat(here.stepSeries(1)[1]).containsExactly(500.0);
    }

    @Test
    void theStoreRefusesStepsOfAnotherHostnameOrOfAContainerNotSampledHere() {
        HistoryStore store = new HistoryStore(100, 300, 10);
        StepHistory earlier = new StepHistory("105", "db", 300, 0, new float[] {1}, new float[] {100});
        assertThat(store.adoptEarlierSteps(earlier)).isZero(); // no sample of 105 here yet
        ObjectNode sample = Json.mapper().createObjectNode().put("timestamp", "2026-12-01T00:10:00+00:00").put("memory_usage_mb", 300);
        sample.putObject("allocation").put("hostname", "web");
        assertThat(store.add("105", sample)).isTrue();
        assertThat(store.adoptEarlierSteps(earlier)).as("steps of 'db' offered to 'web'").isZero();
        long start = java.time.Instant.parse("2026-12-01T00:00:00Z").getEpochSecond();
        assertThat(store.adoptEarlierSteps(new StepHistory("105", "web", 300, start, new float[] {1}, new float[] {100}))).isEqualTo(1);
        assertThat(store.get("105").stepSeries(1)[1]).containsExactly(100.0, Double.NaN, 300.0);
    }

    @Test
    void jsonRoundTripAndEveryProblemNamed() {
        StepHistory s = new StepHistory("105", null, 300, 1_799_999_700L,
                new float[] {0.5f, Float.NaN}, new float[] {712f, Float.NaN});
        String json = StepHistoryJson.write(s);
        assertThat(json).isEqualTo("{\"vmid\":\"105\",\"hostname\":null,\"step_seconds\":300,\"first_step_start\":1799999700,"
                + "\"cpu_cores\":[0.5,null],\"memory_peak_mb\":[712.0,null]}");
        StepHistory back = StepHistoryJson.read("105", json);
        assertThat(back.firstStepStart()).isEqualTo(1_799_999_700L);
        assertThat(back.cpuCores()).containsExactly(0.5f, Float.NaN);
        assertThat(back.memoryPeakMb()).containsExactly(712f, Float.NaN);

        assertThatThrownBy(() -> StepHistoryJson.read("106", "{\"vmid\":\"105\",\"hostname\":7,\"step_seconds\":0,"
                + "\"first_step_start\":\"x\",\"cpu_cores\":[1,-2],\"memory_peak_mb\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vmid: \"105\", expected \"106\"; hostname: 7 is neither a string nor null; step_seconds: 0 is not a "
                        + "positive whole number; first_step_start: \"x\" is not a whole number of epoch seconds; cpu_cores[1]: -2 is "
                        + "not a number >= 0 or null; memory_peak_mb: {} is not an array");
        assertThatThrownBy(() -> StepHistoryJson.read("105", "{\"vmid\":\"105\",\"hostname\":null,\"step_seconds\":300,"
                + "\"first_step_start\":301,\"cpu_cores\":[1],\"memory_peak_mb\":[]}"))
                .hasMessage("first_step_start: 301 is not a multiple of step_seconds 300; cpu_cores has 1 steps but memory_peak_mb 0");
        assertThatThrownBy(() -> StepHistoryJson.read("105", "not json")).hasMessageStartingWith("not JSON: ");
    }
}
