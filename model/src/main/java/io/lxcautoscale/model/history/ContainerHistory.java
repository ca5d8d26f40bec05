package io.lxcautoscale.model.history;

/**
 * One container's bounded history: a ring of raw samples (one float per {@link Signal} per row, epoch
 * seconds per row) for the anomaly model, and a ring of fixed-length steps (mean CPU, peak memory) for
 * the policy. Memory per raw row is 68 bytes; nothing grows past the capacities given at creation.
 */
public final class ContainerHistory {
    private final String vmid;
    private final String hostname;
    private final int capacity;
    private final long[] times;
    private final float[][] columns;
    private int head;
    private int size;
    private long appended;

    private final int stepSeconds;
    private final int stepCapacity;
    private final float[] stepCpuCores;
    private final float[] stepCpuPercent;
    private final float[] stepMemoryPeakMb;
    private int stepHead;
    private int stepSize;
    /** Steps in the ring with CPU % but no cores (their cores depend on the caller's core count). */
    private int percentOnlySteps;
    private long currentStep = Long.MIN_VALUE;
    private double cpuCoresSum;
    private int cpuCoresCount;
    private double cpuPercentSum;
    private int cpuPercentCount;
    private double memoryPeak = Double.NaN;

    private int oomKillsPending;
    private long oomKillsSeen;

    /**
     * @param vmid         the container
     * @param hostname     its hostname when first seen (a different one later means the VMID was reused)
     * @param capacity     raw rows kept
     * @param stepSeconds  length of a policy step
     * @param stepCapacity policy steps kept
     */
    public ContainerHistory(String vmid, String hostname, int capacity, int stepSeconds, int stepCapacity) {
        this.vmid = vmid;
        this.hostname = hostname;
        this.capacity = capacity;
        this.times = new long[capacity];
        this.columns = new float[Signal.ALL.length][capacity];
        this.stepSeconds = stepSeconds;
        this.stepCapacity = stepCapacity;
        this.stepCpuCores = new float[stepCapacity];
        this.stepCpuPercent = new float[stepCapacity];
        this.stepMemoryPeakMb = new float[stepCapacity];
    }

    public String vmid() {
        return vmid;
    }

    public String hostname() {
        return hostname;
    }

    public int size() {
        return size;
    }

    /** Rows appended since creation (including those since overwritten). */
    public long appended() {
        return appended;
    }

    /** Epoch second of the newest row, or Long.MIN_VALUE when empty. */
    public long lastEpochSecond() {
        return size == 0 ? Long.MIN_VALUE : times[physical(size - 1)];
    }

    public long epochSecond(int index) {
        return times[physical(index)];
    }

    /** Value of {@code signal} at logical row {@code index} (0 = oldest); NaN when it was not measured. */
    public double value(Signal signal, int index) {
        return columns[signal.ordinal()][physical(index)];
    }

    /** Values of {@code signal} at logical rows [from, from + count) into {@code out[0, count)} (as {@link #value}). */
    public void values(Signal signal, int from, int count, double[] out) {
        if (count <= 0) {
            return;
        }
        physical(from + count - 1);
        float[] column = columns[signal.ordinal()];
        int p = physical(from);
        for (int i = 0; i < count; i++) {
            out[i] = column[p];
            if (++p == capacity) {
                p = 0;
            }
        }
    }

    /** Epoch seconds of logical rows [from, from + count) into {@code out[0, count)} (as {@link #epochSecond}). */
    public void epochSeconds(int from, int count, long[] out) {
        if (count <= 0) {
            return;
        }
        physical(from + count - 1);
        int p = physical(from);
        for (int i = 0; i < count; i++) {
            out[i] = times[p];
            if (++p == capacity) {
                p = 0;
            }
        }
    }

    /**
     * Appends one sample; a sample not newer than the last one is dropped (returns false).
     *
     * @param values one value per {@link Signal} in declaration order, NaN = unknown
     */
    public boolean append(long epochSecond, double[] values) {
        if (size > 0 && epochSecond <= lastEpochSecond()) {
            return false;
        }
        int slot = size < capacity ? (head + size) % capacity : head;
        if (size < capacity) {
            size++;
        } else {
            head = (head + 1) % capacity;
        }
        times[slot] = epochSecond;
        for (int c = 0; c < columns.length; c++) {
            columns[c][slot] = (float) values[c];
        }
        appended++;
        double oom = values[Signal.OOM_KILLS.ordinal()];
        if (!Double.isNaN(oom) && oom > 0) {
            oomKillsPending += (int) oom;
            oomKillsSeen += (long) oom;
        }
        addToStep(epochSecond, values);
        return true;
    }

    /**
     * OOM kills not yet answered: they stay pending (and keep memory urgent) until a memory increase for
     * them is applied, so a capped, held, dry-run or failed attempt, or an API outage, does not lose them.
     */
    public int pendingOomKills() {
        return oomKillsPending;
    }

    /** Every OOM kill in the samples added so far (answered or not): the metrics' counter. */
    public long oomKillsSeen() {
        return oomKillsSeen;
    }

    /** A memory increase answering {@code kills} OOM kills was applied: they are no longer pending. */
    public void acknowledgeOomKills(int kills) {
        oomKillsPending = Math.max(0, oomKillsPending - Math.max(0, kills));
    }

    private void addToStep(long epochSecond, double[] values) {
        long step = Math.floorDiv(epochSecond, stepSeconds);
        if (step != currentStep) {
            if (currentStep != Long.MIN_VALUE) {
                closeStep();
                long gap = Math.min(step - currentStep - 1, stepCapacity);
                for (long g = 0; g < gap; g++) {
                    pushStep(Float.NaN, Float.NaN, Float.NaN);
                }
            }
            currentStep = step;
        }
        double cores = values[Signal.CPU_CORES.ordinal()];
        if (!Double.isNaN(cores)) {
            cpuCoresSum += cores;
            cpuCoresCount++;
        }
        double percent = values[Signal.CPU_PERCENT.ordinal()];
        if (!Double.isNaN(percent)) {
            cpuPercentSum += percent;
            cpuPercentCount++;
        }
        double memory = values[Signal.MEMORY_MB.ordinal()];
        if (!Double.isNaN(memory)) {
            memoryPeak = Double.isNaN(memoryPeak) ? memory : Math.max(memoryPeak, memory);
        }
    }

    private void closeStep() {
        pushStep(cpuCoresCount == 0 ? Float.NaN : (float) (cpuCoresSum / cpuCoresCount),
                cpuPercentCount == 0 ? Float.NaN : (float) (cpuPercentSum / cpuPercentCount),
                (float) memoryPeak);
        cpuCoresSum = 0;
        cpuCoresCount = 0;
        cpuPercentSum = 0;
        cpuPercentCount = 0;
        memoryPeak = Double.NaN;
    }

    private void pushStep(float cpuCores, float cpuPercent, float memory) {
        boolean full = stepSize == stepCapacity;
        int slot = full ? stepHead : (stepHead + stepSize) % stepCapacity;
        if (full && percentOnly(stepCpuCores[slot], stepCpuPercent[slot])) {
            percentOnlySteps--; // overwritten
        }
        if (full) {
            stepHead = (stepHead + 1) % stepCapacity;
        } else {
            stepSize++;
        }
        stepCpuCores[slot] = cpuCores;
        stepCpuPercent[slot] = cpuPercent;
        stepMemoryPeakMb[slot] = memory;
        if (percentOnly(cpuCores, cpuPercent)) {
            percentOnlySteps++;
        }
    }

    public int stepSeconds() {
        return stepSeconds;
    }

    /** End of the step in progress (the last element of {@link #stepSeries}), epoch seconds. */
    public long currentStepEndEpochSecond() {
        return (currentStep + 1) * stepSeconds;
    }

    /**
     * The per-step series for the policy, oldest first, the step in progress last: mean CPU in cores (from
     * the CPU % and {@code coresForPercent} where cores were not measured) and peak used memory.
     *
     * @return {cpuCores, memoryPeakMb}
     */
    public double[][] stepSeries(int coresForPercent) {
        boolean open = currentStep != Long.MIN_VALUE;
        int n = stepSize + (open ? 1 : 0);
        double[] cpu = new double[n];
        double[] memory = new double[n];
        // the ring in two runs, [stepHead, end) then [0, rest), without a modulo per element
        int firstRun = Math.min(stepSize, stepCapacity - stepHead);
        copySteps(stepHead, 0, firstRun, cpu, memory, coresForPercent);
        copySteps(0, firstRun, stepSize - firstRun, cpu, memory, coresForPercent);
        if (open) {
            cpu[n - 1] = cores(cpuCoresCount == 0 ? Float.NaN : (float) (cpuCoresSum / cpuCoresCount),
                    cpuPercentCount == 0 ? Float.NaN : (float) (cpuPercentSum / cpuPercentCount), coresForPercent);
            memory[n - 1] = memoryPeak;
        }
        // the ring may hold more than the policy needs; callers slice with their window
        return new double[][] {cpu, memory};
    }

    private void copySteps(int from, int to, int count, double[] cpu, double[] memory, int coresForPercent) {
        for (int i = 0; i < count; i++) {
            cpu[to + i] = stepCpuCores[from + i];
        }
        for (int i = 0; i < count; i++) {
            memory[to + i] = stepMemoryPeakMb[from + i];
        }
        if (percentOnlySteps > 0) {
            for (int i = 0; i < count; i++) {
                if (Double.isNaN(cpu[to + i])) {
                    cpu[to + i] = cores(Float.NaN, stepCpuPercent[from + i], coresForPercent);
                }
            }
        }
    }

    private static boolean percentOnly(float cores, float percent) {
        return Float.isNaN(cores) && !Float.isNaN(percent);
    }

    private static double cores(float cores, float percent, int coresForPercent) {
        if (!Float.isNaN(cores)) {
            return cores;
        }
        return Float.isNaN(percent) ? Double.NaN : percent / 100.0 * coresForPercent;
    }

    /**
     * Its closed steps and the step in progress (its mean and peak so far), oldest first, for the model of the node a
     * container migrated to; empty (no step) before the first sample.
     */
    public StepHistory steps() {
        if (currentStep == Long.MIN_VALUE) {
            return new StepHistory(vmid, hostname, stepSeconds, 0, new float[0], new float[0]);
        }
        int n = stepSize + 1;
        float[] cpu = new float[n];
        float[] memory = new float[n];
        for (int i = 0; i < stepSize; i++) {
            int slot = (stepHead + i) % stepCapacity;
            cpu[i] = stepCpuCores[slot];
            memory[i] = stepMemoryPeakMb[slot];
        }
        cpu[stepSize] = cpuCoresCount == 0 ? Float.NaN : (float) (cpuCoresSum / cpuCoresCount);
        memory[stepSize] = (float) memoryPeak;
        return new StepHistory(vmid, hostname, stepSeconds, (currentStep - stepSize) * stepSeconds, cpu, memory);
    }

    /**
     * Puts the steps of {@code earlier} that end before this history's first step in front of it (the steps kept on
     * the node a container migrated from), a gap between them left as steps without samples; the newest
     * {@code stepCapacity} steps are kept. Steps of another length, or too far back to be kept, are not taken.
     *
     * @return the steps of {@code earlier} now in this history
     */
    public int prependSteps(StepHistory earlier) {
        if (earlier.stepSeconds() != stepSeconds || earlier.size() == 0 || currentStep == Long.MIN_VALUE) {
            return 0;
        }
        long firstOwn = currentStep - stepSize;
        long firstEarlier = earlier.firstStepStart() / stepSeconds;
        int taken = (int) Math.max(0, Math.min(earlier.size(), firstOwn - firstEarlier));
        long gap = firstOwn - (firstEarlier + taken);
        if (taken == 0 || stepSize + gap >= stepCapacity) {
            return 0;
        }
        int total = (int) Math.min(stepCapacity, taken + gap + stepSize);
        int skip = (int) (taken + gap + stepSize - total); // the oldest earlier steps that do not fit
        float[] cpu = new float[stepCapacity];
        float[] percent = new float[stepCapacity];
        float[] memory = new float[stepCapacity];
        int n = 0;
        for (int i = skip; i < taken; i++, n++) {
            cpu[n] = earlier.cpuCores()[i];
            percent[n] = Float.NaN;
            memory[n] = earlier.memoryPeakMb()[i];
        }
        for (long g = 0; g < gap; g++, n++) {
            cpu[n] = Float.NaN;
            percent[n] = Float.NaN;
            memory[n] = Float.NaN;
        }
        for (int i = 0; i < stepSize; i++, n++) {
            int slot = (stepHead + i) % stepCapacity;
            cpu[n] = stepCpuCores[slot];
            percent[n] = stepCpuPercent[slot];
            memory[n] = stepMemoryPeakMb[slot];
        }
        System.arraycopy(cpu, 0, stepCpuCores, 0, stepCapacity);
        System.arraycopy(percent, 0, stepCpuPercent, 0, stepCapacity);
        System.arraycopy(memory, 0, stepMemoryPeakMb, 0, stepCapacity);
        stepHead = 0;
        stepSize = total;
        percentOnlySteps = 0;
        for (int i = 0; i < stepSize; i++) {
            if (percentOnly(stepCpuCores[i], stepCpuPercent[i])) {
                percentOnlySteps++;
            }
        }
        return Math.max(0, taken - skip);
    }

    private int physical(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("row " + index + " of " + size + " in the history of " + vmid);
        }
        int p = head + index;
        return p >= capacity ? p - capacity : p;
    }

    /** Bytes held by this history's arrays (for the memory budget in the docs and benchmark). */
    public long footprintBytes() {
        return 8L * capacity + 4L * capacity * columns.length + 12L * stepCapacity;
    }

    @Override
    public String toString() {
        return "ContainerHistory[" + vmid + ", " + size + " rows, last at " + lastEpochSecond() + "]";
    }
}
