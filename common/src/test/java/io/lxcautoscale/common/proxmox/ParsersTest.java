package io.lxcautoscale.common.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsersTest {
    // the samples of docs/reference/proxmox-formats.md §6 and §8, byte for byte (including trailing padding)
    static final String PCT_LIST = ""
            + "VMID       Status     Lock         Name                \n"
            + "101        running                 web1                \n"
            + "102        stopped    backup       db1                 \n";

    static final String CONF_101 = ""
            + "#web server\n"
            + "arch: amd64\n"
            + "cores: 2\n"
            + "hostname: web1\n"
            + "memory: 2048\n"
            + "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth\n"
            + "parent: before-upgrade\n"
            + "rootfs: local-lvm:vm-101-disk-0,size=8G\n"
            + "swap: 512\n"
            + "tags: prod;web\n"
            + "\n"
            + "[before-upgrade]\n"
            + "arch: amd64\n"
            + "cores: 1\n"
            + "memory: 1024\n"
            + "snaptime: 1735689600\n"
            + "\n"
            + "[pve:pending]\n"
            + "memory: 4096\n";

    static final String LISTSNAPSHOT = ""
            + "`-> before-upgrade              2025-01-01 00:00:00     no-description\n"
            + " `-> after-upgrade              2025-01-02 10:30:00     checked ok\n"
            + "  `-> current                                           You are here!\n";

    @Test
    void pctListSplitsUnlockedAndLockedRows() {
        List<ListedContainer> rows = ListedContainer.parseList(PCT_LIST);
        assertThat(rows).containsExactly(
                new ListedContainer(101, "running", null, "web1"),
                new ListedContainer(102, "stopped", "backup", "db1"));
        assertThat(rows.get(0).running()).isTrue();
    }

    @Test
    void pctListWithoutHeaderOrEmptyOrOverflowingLock() {
        assertThat(ListedContainer.parseList("")).isEmpty();
        assertThat(ListedContainer.parseList("103        running    snapshot-delete web3\n"))
                .containsExactly(new ListedContainer(103, "running", "snapshot-delete", "web3"));
        assertThatThrownBy(() -> ListedContainer.parseList("abc running web\n")).hasMessageContaining("VMID is not a number");
        assertThatThrownBy(() -> ListedContainer.parseList("101 running\n")).hasMessageContaining("expected 3 or 4 columns");
    }

    @Test
    void confFileSeparatesTopLevelSnapshotsAndPending() {
        PctConfig parsed = PctConfig.parse("/etc/pve/lxc/101.conf", CONF_101);
        assertThat(parsed.description()).isEqualTo("web server");
        assertThat(parsed.get("memory")).isEqualTo("2048");
        assertThat(parsed.get("cores")).isEqualTo("2");
        assertThat(parsed.get("snaptime")).isNull();
        assertThat(parsed.snapshotNames()).containsExactly("before-upgrade");
        assertThat(parsed.snapshots().get(0).values()).containsEntry("cores", "1").containsEntry("snaptime", "1735689600");
        assertThat(parsed.pending()).containsEntry("memory", "4096");

        ContainerConfig c = ContainerConfig.from(101, "101.conf", parsed);
        assertThat(c.hostname()).isEqualTo("web1");
        assertThat(c.cores()).isEqualTo(2);
        assertThat(c.cpulimit()).isEqualTo(0.0);
        assertThat(c.memoryMb()).isEqualTo(2048);
        assertThat(c.swapMb()).isEqualTo(512);
        assertThat(c.tags()).containsExactly("prod", "web");
        assertThat(c.lock()).isNull();
        assertThat(c.template()).isFalse();
        assertThat(c.rootfsStorage()).isEqualTo("local-lvm");
        assertThat(c.rootfsSize()).isEqualTo("8G");
        assertThat(c.snapshots()).containsExactly("before-upgrade");
        assertThat(c.hasPending()).isTrue();
    }

    @Test
    void absentKeysTakeProxmoxDefaults() {
        ContainerConfig c = ContainerConfig.from(105, "pct config 105", PctConfig.parse("pct config 105", "arch: amd64\nostype: debian\n"));
        assertThat(c.cores()).isNull();
        assertThat(c.memoryMb()).isEqualTo(512);
        assertThat(c.swapMb()).isZero();
        assertThat(c.tags()).isEmpty();
        assertThat(c.name()).isEqualTo("CT105");
    }

    @Test
    void pctConfigOutputKeepsRawLxcKeysApartAndReadsLockAndTemplate() {
        String out = "arch: amd64\ncores: 4\ncpulimit: 1.5\nlock: backup\nmemory: 1024\ntemplate: 1\n"
                + "lxc.apparmor.profile: unconfined\nlxc.cgroup2.devices.allow = a\n";
        PctConfig parsed = PctConfig.parse("pct config 102", out);
        assertThat(parsed.rawLxc()).containsExactly(
                new PctConfig.RawLxcEntry("lxc.apparmor.profile", "unconfined"),
                new PctConfig.RawLxcEntry("lxc.cgroup2.devices.allow", "a"));
        assertThat(parsed.values()).doesNotContainKey("lxc.apparmor.profile");
        ContainerConfig c = ContainerConfig.from(102, "pct config 102", parsed);
        assertThat(c.cpulimit()).isEqualTo(1.5);
        assertThat(c.lock()).isEqualTo("backup");
        assertThat(c.template()).isTrue();
    }

    @Test
    void badConfigNamesSourceLineAndKey() {
        assertThatThrownBy(() -> PctConfig.parse("/x/101.conf", "cores: 2\nthis is wrong\n"))
                .hasMessageContaining("/x/101.conf line 2");
        assertThatThrownBy(() -> ContainerConfig.from(101, "/x/101.conf", PctConfig.parse("/x/101.conf", "cores: two\n")))
                .hasMessageContaining("/x/101.conf").hasMessageContaining("cores");
        assertThatThrownBy(() -> ContainerConfig.from(101, "/x/101.conf", PctConfig.parse("/x/101.conf", "memory: 8\n")))
                .hasMessageContaining("memory");
    }

    @Test
    void pendingDeleteListIsSplit() {
        PctConfig parsed = PctConfig.parse("c", "cores: 2\n[pve:pending]\ndelete: cores,swap\n");
        assertThat(parsed.pendingDeletes()).containsExactly("cores", "swap");
        assertThat(parsed.pending()).isEmpty();
    }

    @Test
    void pctStatusPlainAndVerbose() {
        assertThat(ContainerStatus.parse("status: running\n").running()).isTrue();
        ContainerStatus verbose = ContainerStatus.parse("cpus: 2\ndisk: 1073741824\nmaxmem: 2147483648\nname: web1\nstatus: stopped\n");
        assertThat(verbose.running()).isFalse();
        assertThat(verbose.longValue("maxmem")).isEqualTo(2147483648L);
        assertThat(verbose.values()).containsEntry("name", "web1");
        assertThatThrownBy(() -> ContainerStatus.parse("")).hasMessageContaining("no 'status:' line");
    }

    @Test
    void listsnapshotTreeGivesNamesParentsTimesAndCurrent() {
        List<SnapshotEntry> tree = SnapshotEntry.parseTree(LISTSNAPSHOT);
        assertThat(tree).containsExactly(
                new SnapshotEntry("before-upgrade", 0, null, LocalDateTime.of(2025, 1, 1, 0, 0), "no-description", false),
                new SnapshotEntry("after-upgrade", 1, "before-upgrade", LocalDateTime.of(2025, 1, 2, 10, 30), "checked ok", false),
                new SnapshotEntry("current", 2, "after-upgrade", null, "You are here!", true));
        assertThat(tree.get(0).epochSeconds()).isEqualTo(1735689600L);
        assertThat(SnapshotEntry.parseTree("")).isEmpty();
        assertThatThrownBy(() -> SnapshotEntry.parseTree("garbage\n")).hasMessageContaining("line 1");
    }

    @Test
    void pveshJsonIsParsedWithTheSharedMapper() {
        JsonNode node = PveshJson.parse("/nodes/pve/status",
                "{\"cpuinfo\":{\"cpus\":8,\"cores\":4},\"memory\":{\"total\":33554432000,\"used\":1,\"free\":2}}");
        assertThat(node.path("cpuinfo").path("cpus").asInt()).isEqualTo(8);
        assertThat(node.path("memory").path("total").asLong()).isEqualTo(33554432000L);
        assertThatThrownBy(() -> PveshJson.parse("/nodes/pve/status", "not json")).hasMessageContaining("/nodes/pve/status");
    }
}
