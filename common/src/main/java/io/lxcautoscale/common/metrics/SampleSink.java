package io.lxcautoscale.common.metrics;

/** Receives container samples as primitive rows (see {@link SampleRowDecoder}). */
@FunctionalInterface
public interface SampleSink {
    /** One container's sample; {@code row} is reused after the call returns. */
    void sample(SampleRow row);
}
