package io.lxcautoscale.sim.pveapi;

import java.util.Optional;

/**
 * A task of the simulated cluster (so far only {@code vzmigrate}), identified by its UPID
 * {@code UPID:<node>:<pid 8 hex>:<pstart 8 hex>:<starttime 8 hex>:<type>:<id>:<user>:}.
 *
 * @param user       the user that started it, {@code user@realm}
 * @param tokenid    the token name when a token started it
 * @param status     {@code running} or {@code stopped}
 * @param exitstatus once stopped: {@code OK} or the error
 */
public record SimPveTask(String upid, String node, int pid, long pstart, long starttime, String type, String id,
                         String user, Optional<String> tokenid, String status, Optional<String> exitstatus) {
    static SimPveTask start(String node, int pid, long pstart, long starttime, String type, String id, String tokenId) {
        int bang = tokenId.indexOf('!');
        String user = bang < 0 ? tokenId : tokenId.substring(0, bang);
        Optional<String> token = bang < 0 ? Optional.empty() : Optional.of(tokenId.substring(bang + 1));
        String upid = String.format("UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid, pstart, starttime, type, id, tokenId);
        return new SimPveTask(upid, node, pid, pstart, starttime, type, id, user, token, "running", Optional.empty());
    }

    SimPveTask stopped(String exit) {
        return new SimPveTask(upid, node, pid, pstart, starttime, type, id, user, tokenid, "stopped", Optional.of(exit));
    }
}
