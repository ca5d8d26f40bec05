package io.lxcautoscale.model.replay;

import io.lxcautoscale.model.replay.baseline.AutopilotPolicy;
import io.lxcautoscale.model.replay.baseline.OriginalPolicy;
import io.lxcautoscale.model.replay.baseline.StaticPolicy;
import io.lxcautoscale.model.replay.baseline.VpaPolicy;
import io.lxcautoscale.model.replay.sim.PolicyFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The policies the replay knows by name, and the knob sweep of the default policy. */
public final class PolicyCatalog {
    private static final Map<String, Supplier<PolicyFactory>> POLICIES = new LinkedHashMap<>();

    static {
        POLICIES.put("static", () -> StaticPolicy.FACTORY);
        POLICIES.put("original", () -> OriginalPolicy.FACTORY);
        POLICIES.put("vpa", () -> VpaPolicy.FACTORY);
        POLICIES.put("autopilot", () -> AutopilotPolicy.FACTORY);
    }

    private PolicyCatalog() {
    }

    /** Every policy name, in report order. */
    public static List<String> names() {
        return List.copyOf(POLICIES.keySet());
    }

    /**
     * The factories for {@code names} (all when empty), followed, with {@code sweep}, by the default
     * policy's knob sweep.
     *
     * @throws IllegalArgumentException naming an unknown policy and the known ones
     */
    public static List<PolicyFactory> resolve(List<String> names, boolean sweep) {
        List<String> wanted = names == null || names.isEmpty() ? names() : names;
        List<PolicyFactory> out = new ArrayList<>();
        for (String n : wanted) {
            Supplier<PolicyFactory> f = POLICIES.get(n);
            if (f == null) {
                throw new IllegalArgumentException("unknown policy '" + n + "'; known: " + String.join(", ", names()));
            }
            out.add(f.get());
        }
        if (sweep) {
            throw new IllegalArgumentException("--sweep needs the default policy, which is not available yet");
        }
        return out;
    }
}
