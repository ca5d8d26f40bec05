package io.lxcautoscale.api.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One container's usage and allocation over the last {@code slots} buckets, in fixed arrays (a ring indexed by
 * bucket number), so its memory does not grow with the number of samples. Per bucket: the mean of the CPU used
 * (cores), the highest memory used (MiB), and the last allocation seen (cores, MiB). Not thread-safe: the
 * owner synchronizes.
 */
final class UsageWindow {
    /** One bucket as charted: {@code start} in epoch seconds; a value not known in it is NaN. */
    record Point(long start, double cpuUsed, double cpuAllocated, double memoryUsedMb, double memoryAllocatedMb) {
    }

    private final int slots;
    private final long bucketSeconds;
    private final long[] bucket;
    private final double[] cpuSum;
    private final int[] cpuCount;
    private final float[] memoryMax;
    private final float[] coresAllocated;
    private final float[] memoryAllocated;

    UsageWindow(int slots, long bucketSeconds) {
        this.slots = slots;
        this.bucketSeconds = bucketSeconds;
        this.bucket = new long[slots];
        Arrays.fill(bucket, Long.MIN_VALUE);
        this.cpuSum = new double[slots];
        this.cpuCount = new int[slots];
        this.memoryMax = new float[slots];
        this.coresAllocated = new float[slots];
        this.memoryAllocated = new float[slots];
    }

    /** Adds one sample taken at {@code epochSecond}; NaN = not in the sample. A sample older than its slot's bucket is dropped. */
    void add(long epochSecond, double cpuUsed, double cores, double memoryUsedMb, double memoryMb) {
        long b = Math.floorDiv(epochSecond, bucketSeconds);
        int i = (int) Math.floorMod(b, (long) slots);
        if (bucket[i] != b) {
            if (bucket[i] > b) {
                return; // a late sample for a bucket already overwritten by a newer one
            }
            bucket[i] = b;
            cpuSum[i] = 0;
            cpuCount[i] = 0;
            memoryMax[i] = Float.NaN;
            coresAllocated[i] = Float.NaN;
            memoryAllocated[i] = Float.NaN;
        }
        if (!Double.isNaN(cpuUsed)) {
            cpuSum[i] += cpuUsed;
            cpuCount[i]++;
        }
        if (!Double.isNaN(memoryUsedMb) && !(memoryMax[i] >= memoryUsedMb)) {
            memoryMax[i] = (float) memoryUsedMb;
        }
        if (!Double.isNaN(cores)) {
            coresAllocated[i] = (float) cores;
        }
        if (!Double.isNaN(memoryMb)) {
            memoryAllocated[i] = (float) memoryMb;
        }
    }

    /** The buckets from {@code fromEpochSecond}'s bucket up to {@code toEpochSecond}'s that hold a sample, oldest first. */
    List<Point> points(long fromEpochSecond, long toEpochSecond) {
        long first = Math.max(Math.floorDiv(fromEpochSecond, bucketSeconds), Math.floorDiv(toEpochSecond, bucketSeconds) - slots + 1);
        long last = Math.floorDiv(toEpochSecond, bucketSeconds);
        List<Point> out = new ArrayList<>();
        for (long b = first; b <= last; b++) {
            int i = (int) Math.floorMod(b, (long) slots);
            if (bucket[i] != b) {
                continue;
            }
            out.add(new Point(b * bucketSeconds, cpuCount[i] == 0 ? Double.NaN : cpuSum[i] / cpuCount[i], coresAllocated[i],
                    memoryMax[i], memoryAllocated[i]));
        }
        return out;
    }
}
