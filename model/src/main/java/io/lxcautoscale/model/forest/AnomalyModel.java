package io.lxcautoscale.model.forest;

import io.lxcautoscale.model.features.FeatureExtractor;
import io.lxcautoscale.model.features.Standardiser;
import io.lxcautoscale.model.history.ContainerHistory;
import io.lxcautoscale.model.policy.Anomaly;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trained pipeline: per-container standardisers plus one pooled {@link AnomalyForest}. Training
 * samples at most {@code rowsPerContainer} rows of each container (each tree draws only ψ rows anyway),
 * so a retrain costs the same with 1 or 7 days of history.
 */
public final class AnomalyModel {
    /** Training parameters ({@code model.*}). */
    public record Settings(int trees, int maxSamples, double contamination, long seed, int rowsPerContainer,
                           int minRowsPerContainer, int maxThresholdRows) {
    }

    private final FeatureExtractor features;
    private final Settings settings;
    private final AnomalyForest forest;
    /**
     * Standardiser per container, keyed by the history object so a reused VMID never inherits one. Concurrent
     * because containers may be scored from several threads (the replay scores a host's containers in parallel).
     */
    private final Map<ContainerHistory, Standardiser> scalers;
    private final int trainingRows;

    private AnomalyModel(FeatureExtractor features, Settings settings, AnomalyForest forest,
                         Map<ContainerHistory, Standardiser> scalers, int trainingRows) {
        this.features = features;
        this.settings = settings;
        this.forest = forest;
        this.scalers = scalers;
        this.trainingRows = trainingRows;
    }

    /** Trains on every history with enough rows; returns null when there is too little data in total. */
    public static AnomalyModel train(Collection<ContainerHistory> histories, FeatureExtractor features, Settings s) {
        Random random = new Random(s.seed());
        List<double[]> pooled = new ArrayList<>();
        Map<ContainerHistory, Standardiser> scalers = new ConcurrentHashMap<>();
        for (ContainerHistory h : histories) {
            if (h.size() < s.minRowsPerContainer()) {
                continue;
            }
            List<double[]> rows = sampleRows(h, features, s.rowsPerContainer(), random);
            Standardiser scaler = Standardiser.fit(rows);
            scalers.put(h, scaler);
            for (double[] r : rows) {
                pooled.add(scaler.apply(r));
            }
        }
        if (pooled.size() < Math.max(2, s.minRowsPerContainer())) {
            return null;
        }
        AnomalyForest forest = AnomalyForest.train(pooled.toArray(new double[0][]), s.trees(), s.maxSamples(),
                s.contamination(), s.seed(), s.maxThresholdRows());
        return new AnomalyModel(features, s, forest, scalers, pooled.size());
    }

    private static List<double[]> sampleRows(ContainerHistory h, FeatureExtractor features, int max, Random random) {
        int n = h.size();
        List<double[]> rows = new ArrayList<>(Math.min(n, max));
        if (n <= max) {
            for (int i = 0; i < n; i++) {
                rows.add(features.row(h, i));
            }
        } else {
            for (int i : AnomalyForest.sampleWithoutReplacement(random, n, max)) {
                rows.add(features.row(h, i));
            }
        }
        return rows;
    }

    /**
     * Scores the newest row of {@code h}. A container the model has not seen gets a standardiser fitted
     * on its own rows now (kept until the next retrain); one with too few rows is not scored.
     */
    public Anomaly scoreLatest(ContainerHistory h) {
        if (h.size() < settings.minRowsPerContainer()) {
            return Anomaly.NONE;
        }
        Standardiser scaler = scalers.computeIfAbsent(h,
                k -> Standardiser.fit(sampleRows(k, features, settings.rowsPerContainer(), new Random(settings.seed()))));
        double score = forest.score(scaler.apply(features.row(h, h.size() - 1)));
        return new Anomaly(score, forest.threshold(), forest.rankPercent(score));
    }

    public int trainingRows() {
        return trainingRows;
    }

    public double threshold() {
        return forest.threshold();
    }
}
