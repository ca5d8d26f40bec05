package io.lxcautoscale.sim.cli;

import io.lxcautoscale.sim.pve.NodeFiles;
import io.lxcautoscale.sim.pve.NodeState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * Runs the usual read-only {@code pct} and {@code pvesh} calls once, output discarded, so that a JVM started with
 * {@code -XX:ArchiveClassesAtExit} records every class the stand-ins need (see {@link StandIns#startArchiveTraining}).
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) {
        NodeFiles files = PctMain.rootFiles();
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        NodeState state = NodeState.read(files);
        String vmid = state.cts.isEmpty() ? "100" : Integer.toString(state.cts.keySet().iterator().next());
        List<List<String>> pct = List.of(List.of("list"), List.of("config", vmid), List.of("status", vmid, "--verbose", "1"),
                List.of("listsnapshot", vmid), List.of("set", "999999999", "--cores", "1"));
        for (List<String> argv : pct) {
            try {
                new PctMain(files, discard).run(argv);
            } catch (RuntimeException e) {
                // error paths load classes too; their outcome does not matter here
            }
        }
        for (String path : List.of("/nodes/" + state.node + "/lxc", "/cluster/resources", "/nodes/" + state.node + "/status")) {
            try {
                new PveshMain(files, discard).run(List.of("get", path, "--output-format", "json"));
            } catch (RuntimeException e) {
                // as above
            }
        }
    }
}
