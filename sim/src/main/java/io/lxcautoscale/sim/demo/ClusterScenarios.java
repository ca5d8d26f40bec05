package io.lxcautoscale.sim.demo;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.sim.scenario.ContainerSpec;
import io.lxcautoscale.sim.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cluster demo's nodes: a folder with one scenario file per node ({@code *.yaml}, taken in name order), each
 * naming its node ({@code host.node}) and its containers. Node names and VMIDs must be unique across the cluster,
 * as Proxmox requires.
 */
final class ClusterScenarios {
    /** One node's scenario and the file it came from. */
    record NodeScenario(Path file, Scenario scenario) {
        String node() {
            return scenario.host().node();
        }
    }

    private ClusterScenarios() {
    }

    /** The first {@code count} node scenarios of {@code dir}; a problem names the file (and the clashing one). */
    static List<NodeScenario> load(Path dir, int count) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(dir.toString(), List.of("cannot list the node scenarios: " + e.getMessage()));
        }
        if (count < 2 || count > files.size()) {
            throw new ConfigException(dir.toString(), List.of("--nodes must be from 2 to " + files.size()
                    + " (the number of node scenarios here), got " + count));
        }
        List<NodeScenario> out = new ArrayList<>();
        Map<String, Path> nodes = new HashMap<>();
        Map<Integer, Path> vmids = new HashMap<>();
        for (Path file : files.subList(0, count)) {
            Scenario scenario = Scenario.load(file, null).config();
            Path clash = nodes.putIfAbsent(scenario.host().node(), file);
            if (clash != null) {
                throw new ConfigException(file.toString(), List.of("host.node: '" + scenario.host().node() + "' is already the node of " + clash));
            }
            for (ContainerSpec ct : scenario.containers()) {
                Path other = vmids.putIfAbsent(ct.vmid(), file);
                if (other != null) {
                    throw new ConfigException(file.toString(), List.of("containers: vmid " + ct.vmid() + " is already a container of "
                            + other + " (VMIDs are unique in a cluster)"));
                }
            }
            out.add(new NodeScenario(file, scenario));
        }
        return out;
    }
}
