package io.lxcautoscale.sim;

import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.scenario.Scenario;
import io.lxcautoscale.sim.world.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Test helper: a simulated node built from scenario YAML text under a temporary root, on a hand-driven clock. */
public final class SimNodes {
    public final NodeFiles files;
    public final World world;
    public final AtomicLong clockMs = new AtomicLong(1_700_000_000_000L);

    public SimNodes(Path root, String scenarioYaml) {
        Scenario scenario = ConfigLoader.parse("test.yaml", scenarioYaml, n -> Scenario.bind(n, root, null)).config();
        files = new NodeFiles(root.resolve("node"));
        world = new World(files, scenario, clockMs::get);
        world.initialize();
    }

    /** Advances the clock by {@code seconds} in one-second ticks. */
    public void run(int seconds) {
        for (int i = 0; i < seconds; i++) {
            clockMs.addAndGet(1000);
            world.tick();
        }
    }

    public String cg(int vmid, String file) throws java.io.IOException {
        return Files.readString(files.cgroupDir(vmid).resolve(file));
    }

    /** The value of {@code key} in a flat-keyed file such as cpu.stat, memory.stat or memory.events. */
    public long flat(int vmid, String file, String key) throws java.io.IOException {
        for (String line : cg(vmid, file).split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals(key)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError(file + " has no " + key);
    }
}
