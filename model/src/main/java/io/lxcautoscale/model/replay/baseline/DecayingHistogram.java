package io.lxcautoscale.model.replay.baseline;

/**
 * The VPA recommender's histogram: exponential buckets ({@code first·(r^b − 1)/(r − 1)}) whose sample
 * weights grow by {@code 2^((t − reference)/halfLife)}, so newer samples weigh more; when the exponent would
 * exceed {@value #MAX_DECAY_EXPONENT} the reference moves forward and all weights are scaled down
 * (VPA {@code util/decaying_histogram.go}, {@code histogram.go}, {@code histogram_options.go}).
 */
public final class DecayingHistogram {
    /** VPA renormalises when the decay exponent would exceed this. */
    static final int MAX_DECAY_EXPONENT = 100;
    /** VPA {@code epsilon}: a histogram lighter than this is empty (0.001 × minSampleWeight 0.1). */
    static final double EPSILON = 0.0001;

    private final double first;
    private final double ratio;
    private final int numBuckets;
    private final double halfLifeSeconds;
    private final double[] weights;
    private final double[] bucketStarts;
    private double total;
    private long referenceSeconds;
    private boolean referenceSet;

    /**
     * @param first           end of the first bucket (values below it fall in bucket 0)
     * @param max             largest value kept apart (larger ones fall in the last bucket)
     * @param ratio           bucket growth ratio r (1.05 in VPA)
     * @param halfLifeSeconds decay half-life; {@code Double.POSITIVE_INFINITY} for no decay
     */
    public DecayingHistogram(double first, double max, double ratio, double halfLifeSeconds) {
        if (!(first > 0) || !(max > first) || !(ratio > 1) || !(halfLifeSeconds > 0)) {
            throw new IllegalArgumentException("bad histogram options");
        }
        this.first = first;
        this.ratio = ratio;
        this.numBuckets = (int) Math.ceil(Math.log(max * (ratio - 1) / first + 1) / Math.log(ratio)) + 1;
        this.halfLifeSeconds = halfLifeSeconds;
        this.weights = new double[numBuckets];
        this.bucketStarts = new double[numBuckets + 1];
        for (int b = 0; b <= numBuckets; b++) {
            bucketStarts[b] = first * (Math.pow(ratio, b) - 1) / (ratio - 1);
        }
    }

    /** Number of buckets (176 for VPA's CPU and memory options). */
    public int numBuckets() {
        return numBuckets;
    }

    /** Index of the bucket that holds {@code value}. */
    public int bucket(double value) {
        if (value < first) {
            return 0;
        }
        int b = (int) Math.floor(Math.log(value * (ratio - 1) / first + 1) / Math.log(ratio));
        return Math.min(b, numBuckets - 1);
    }

    /** Start of bucket {@code b}. */
    public double bucketStart(int b) {
        return bucketStarts[b];
    }

    /** Adds {@code value} with {@code weight}, decayed to {@code timeSeconds}. */
    public void add(double value, double weight, long timeSeconds) {
        double w = weight * decayFactor(timeSeconds);
        weights[bucket(value)] += w;
        total += w;
    }

    /** Removes a sample added earlier with the same value, weight and time (VPA's peak replacement). */
    public void subtract(double value, double weight, long timeSeconds) {
        double w = weight * decayFactor(timeSeconds);
        int b = bucket(value);
        double removed = Math.min(w, weights[b]);
        weights[b] -= removed;
        total = Math.max(0, total - removed);
    }

    /** Whether the histogram holds (practically) nothing. */
    public boolean isEmpty() {
        return total < EPSILON;
    }

    /**
     * VPA's percentile: the end of the first bucket at which the cumulative weight reaches {@code p·total}
     * (the start of the last bucket if it is the last); 0 when empty.
     */
    public double percentile(double p) {
        if (isEmpty()) {
            return 0;
        }
        double threshold = p * total;
        double sum = 0;
        for (int b = 0; b < numBuckets; b++) {
            sum += weights[b];
            if (sum >= threshold) {
                return b < numBuckets - 1 ? bucketStarts[b + 1] : bucketStarts[b];
            }
        }
        return bucketStarts[numBuckets - 1];
    }

    /**
     * Autopilot's load-adjusted percentile: each bucket's weight is multiplied by its value (the bucket
     * end), so that the percentile is of the usage volume rather than of time; returns a bucket end.
     */
    public double loadAdjustedPercentile(double p) {
        if (isEmpty()) {
            return 0;
        }
        double loadTotal = 0;
        for (int b = 0; b < numBuckets; b++) {
            loadTotal += weights[b] * bucketStarts[b + 1];
        }
        double threshold = p * loadTotal;
        double sum = 0;
        for (int b = 0; b < numBuckets; b++) {
            sum += weights[b] * bucketStarts[b + 1];
            if (sum >= threshold) {
                return b < numBuckets - 1 ? bucketStarts[b + 1] : bucketStarts[b];
            }
        }
        return bucketStarts[numBuckets - 1];
    }

    private double decayFactor(long timeSeconds) {
        if (Double.isInfinite(halfLifeSeconds)) {
            return 1.0;
        }
        if (!referenceSet) {
            referenceSeconds = timeSeconds;
            referenceSet = true;
        }
        double exponent = (timeSeconds - referenceSeconds) / halfLifeSeconds;
        if (exponent > MAX_DECAY_EXPONENT) {
            // Move the reference to the half-life boundary at or before the new time and scale down.
            long newReference = referenceSeconds
                    + (long) (Math.floor(exponent) * halfLifeSeconds);
            double scale = Math.pow(2, -(newReference - referenceSeconds) / halfLifeSeconds);
            for (int b = 0; b < numBuckets; b++) {
                weights[b] *= scale;
            }
            total *= scale;
            referenceSeconds = newReference;
            exponent = (timeSeconds - referenceSeconds) / halfLifeSeconds;
        }
        return Math.pow(2, exponent);
    }
}
