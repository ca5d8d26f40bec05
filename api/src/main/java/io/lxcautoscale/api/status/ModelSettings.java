package io.lxcautoscale.api.status;

import io.lxcautoscale.common.config.ConfigException;
import io.lxcautoscale.common.config.ConfigLoader;
import io.lxcautoscale.common.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the status page needs from the model daemon's YAML: the node reserve, the opt-out tags, the ignored
 * VMIDs and the tiers (names with their VMIDs and tags). Only these keys are read, with the model's defaults;
 * a missing or invalid file gives those defaults and says why in {@link #note()}.
 *
 * @param reserveCores    {@code node.reserve_cores}
 * @param reserveMemoryMb {@code node.reserve_memory_mb}
 * @param optOutTags      {@code opt_out_tags}
 * @param ignoredVmids    {@code ignore_lxc}
 * @param tiers           {@code tiers}, in the order listed (the first that contains a container wins)
 * @param modelEndpoint   where the model daemon serves {@code /history/{vmid}}: {@code http://host:port} from its
 *                        {@code metrics_endpoint} (a wildcard address asked on loopback), or null when that is off
 * @param note            why the defaults are shown, or "" when the file was read
 */
public record ModelSettings(int reserveCores, int reserveMemoryMb, Set<String> optOutTags, Set<String> ignoredVmids,
                            List<TierMembers> tiers, String modelEndpoint, String note) {
    /** One tier's members. */
    public record TierMembers(String name, Set<String> vmids, Set<String> tags) {
    }

    public static final ModelSettings DEFAULTS = new ModelSettings(1, 2048, Set.of("autoscale-off"), Set.of(), List.of(),
            "http://127.0.0.1:9105", "");

    /** Reads {@code file}; never throws: problems end up in {@link #note()}. */
    public static ModelSettings read(Path file) {
        if (!Files.isReadable(file)) {
            return DEFAULTS.withNote(file + " is not readable: the model's defaults are shown (no tiers, opt-out tag autoscale-off)");
        }
        try {
            return ConfigLoader.load(file, ModelSettings::bind).config();
        } catch (ConfigException e) {
            return DEFAULTS.withNote(e.getMessage() + "; the model's defaults are shown");
        } catch (RuntimeException e) {
            return DEFAULTS.withNote(file + " cannot be read: " + e.getMessage() + "; the model's defaults are shown");
        }
    }

    private static ModelSettings bind(ConfigNode root) {
        ConfigNode node = root.section("node");
        List<TierMembers> tiers = new ArrayList<>();
        ConfigNode t = root.section("tiers");
        for (String name : t.getStringList("names", List.of())) {
            ConfigNode tier = t.section(name);
            tiers.add(new TierMembers(name, Set.copyOf(tier.getStringList("vmids", List.of())), Set.copyOf(tier.getStringList("tags", List.of()))));
        }
        return new ModelSettings(node.getInt("reserve_cores", 1, 0, 8192), node.getInt("reserve_memory_mb", 2048, 0, 64 * 1024 * 1024),
                Set.copyOf(root.getStringList("opt_out_tags", List.of("autoscale-off"))),
                Set.copyOf(root.getStringList("ignore_lxc", List.of())), List.copyOf(tiers),
                endpointOf(root.getString("metrics_endpoint", "127.0.0.1:9105")), "");
    }

    /** {@code http://host:port} of a {@code metrics_endpoint} value ({@code [v6]:port} too), null when empty or unreadable. */
    public static String endpointOf(String listen) {
        if (listen == null || listen.isBlank()) {
            return null;
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || !listen.substring(colon + 1).matches("[0-9]{1,5}")) {
            return null;
        }
        String host = listen.substring(0, colon).strip();
        if (host.equals("0.0.0.0") || host.equals("*") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1"; // listening everywhere: loopback is one of the addresses
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + listen.substring(colon + 1);
    }

    private ModelSettings withNote(String why) {
        return new ModelSettings(reserveCores, reserveMemoryMb, optOutTags, ignoredVmids, tiers, modelEndpoint, why);
    }

    /** The tier holding the container, or "default" when none does. */
    public String tierOf(String vmid, List<String> tags) {
        for (TierMembers tier : tiers) {
            if (tier.vmids().contains(vmid) || tags.stream().anyMatch(tier.tags()::contains)) {
                return tier.name();
            }
        }
        return "default";
    }

    /** Why the model leaves the container alone ("ignore_lxc", "tag autoscale-off"), or null when it does not. */
    public String optOut(String vmid, List<String> tags) {
        if (ignoredVmids.contains(vmid)) {
            return "listed in ignore_lxc";
        }
        for (String tag : tags) {
            if (optOutTags.contains(tag)) {
                return "tag " + tag;
            }
        }
        return null;
    }
}
