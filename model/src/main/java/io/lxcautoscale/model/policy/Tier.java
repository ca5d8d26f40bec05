package io.lxcautoscale.model.policy;

import java.util.List;
import java.util.Set;

/**
 * Per-container overrides: the settings for containers listed by VMID or carrying one of the tags.
 *
 * @param name     tier name (for the journal)
 * @param vmids    VMIDs in this tier
 * @param tags     Proxmox tags that put a container in this tier
 * @param settings the settings for its members
 */
public record Tier(String name, Set<String> vmids, Set<String> tags, PolicySettings settings) {
    public Tier {
        vmids = Set.copyOf(vmids);
        tags = Set.copyOf(tags);
    }

    public boolean contains(String vmid, List<String> containerTags) {
        return vmids.contains(vmid) || containerTags.stream().anyMatch(tags::contains);
    }
}
