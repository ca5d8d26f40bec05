#!/usr/bin/env bash
# System test: the .deb installed in a booted Debian 12 (systemd-nspawn --boot), the three units
# started by a real systemd under their real hardening, against the simulated Proxmox node.
#
#   1. build (or reuse) a Debian 12 root file system under target/nspawn-rootfs/<hash of the recipe>
#   2. boot it (read-only, changes in a tmpfs overlay), `apt-get install ./lxc-autoscale-ml_*.deb`
#   3. run the simulator as a transient unit, point the installed YAML files at it with sed,
#      `systemctl start` the three units and check them (see docs/systemd.md, "System test")
#   4. `apt-get remove`, then `apt-get purge`: check what is left
#   5. the container is always shut down (trap), also on failure or Ctrl-C
#
# Run as root after `mvn -B verify` (needs the .deb and sim/target/lxc_sim.jar). Prints one line per
# check ("PASS -" / "FAIL -") and exits non-zero if any check failed. If this machine cannot boot
# systemd-nspawn it says why and exits 0, or 1 when LXCAS_REQUIRE_ALL_TESTS=1 (as CI sets it).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PKG=lxc-autoscale-ml
SUITE=bookworm
# Everything the test needs inside; the package's own Depends (a Java 17 runtime) and Recommends
# (logrotate) are here so that `apt-get install ./x.deb` needs no network.
PACKAGES=(systemd systemd-sysv dbus openjdk-17-jre-headless logrotate curl jq procps)
# Bump when the way the root file system is prepared changes (part of the cache key).
RECIPE=2
CACHE_DIR=$ROOT/target/nspawn-rootfs
STAGE=$ROOT/target/nspawn-stage-$$       # bind-mounted read-only at /srv/lxcas-test
IN_STAGE=/srv/lxcas-test
SIM_ROOT=/srv/pve-sim                    # the simulated node's tree, inside the container
SIM_NODE=pve-ct                          # host.node of the scenario
CONF=/etc/lxc_autoscale_ml
UNITS=(lxc_autoscale_api lxc_monitor lxc_autoscale_ml)
BUSY=301
IDLE=302
MACHINE=lxcas-test-$$

checks=0
failures=0
NSPAWN_PID=
CT_PID=
TMP=$(mktemp -d /tmp/systemd-nspawn-test.XXXXXX)
START_TIME=$(date +%s)

section() { echo "== [$(( $(date +%s) - START_TIME )) s] $*"; }
pass() { checks=$((checks + 1)); echo "PASS - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $*"; }
# expect "description" command...: PASS when the command succeeds, else FAIL with its output.
expect() {
    local what=$1; shift
    if "$@" >"$TMP/out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/    /' "$TMP/out" | head -20; fi
}
fatal() { fail "$*"; echo "stopping: the remaining checks depend on this one"; exit 1; }
# cannot_run "reason": this machine cannot run the test at all.
cannot_run() {
    echo "CANNOT RUN - $*"
    if [ "${LXCAS_REQUIRE_ALL_TESTS:-0}" = 1 ]; then
        fail "LXCAS_REQUIRE_ALL_TESTS=1: the systemd system test must run here"
        exit 1
    fi
    echo "skipped (set LXCAS_REQUIRE_ALL_TESTS=1 to make this a failure)"
    SKIPPED=1
    exit 0
}
SKIPPED=0

teardown() {
    local rc=$?
    if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
        echo "teardown: shutting the container down"
        # systemd-nspawn turns SIGTERM into an orderly shutdown of the container's systemd.
        kill -TERM "$NSPAWN_PID" 2>/dev/null
        for _ in $(seq 1 30); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 1; done
        if kill -0 "$NSPAWN_PID" 2>/dev/null; then
            echo "teardown: the container did not stop within 30 s: SIGKILL"
            kill -KILL "$NSPAWN_PID" 2>/dev/null
        fi
        wait "$NSPAWN_PID" 2>/dev/null
    fi
    if [ -n "${ROOTFS:-}" ] && grep -q " $ROOTFS" /proc/self/mountinfo; then
        echo "teardown: mounts left under $ROOTFS:"; grep " $ROOTFS" /proc/self/mountinfo | sed 's/^/    /'
        failures=$((failures + 1))
    fi
    rm -rf "$TMP" "$STAGE"
    echo "systemd-nspawn-test: $checks checks, $failures failed, $(( $(date +%s) - START_TIME )) s"
    if [ "$SKIPPED" = 1 ] && [ "$failures" -eq 0 ]; then exit 0; fi
    if [ "$failures" -gt 0 ] || [ "$rc" -ne 0 ]; then echo "systemd-nspawn-test: FAILED"; exit 1; fi
    echo "systemd-nspawn-test: PASSED"
    exit 0
}
trap teardown EXIT
trap 'exit 130' INT TERM

# ct command...: run a command inside the container (all its namespaces, its root, a clean environment).
ct() {
    nsenter -t "$CT_PID" -a -r -w -- /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}
ctsh() { ct /bin/sh -c "$1"; }
# wait_for SECONDS command...: poll once a second until the command succeeds; false on timeout.
wait_for() {
    local timeout=$1; shift
    local deadline=$(( $(date +%s) + timeout ))
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 1
    done
}
prop() { ct systemctl show -p "$2" --value "$1.service"; }
http_code() { ct curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

# ---------------------------------------------------------------------------------------------------
section "preconditions"
[ "$(id -u)" = 0 ] || cannot_run "not root (debootstrap and systemd-nspawn need root)"
for tool in debootstrap systemd-nspawn nsenter sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || cannot_run "$tool is not installed (apt-get install debootstrap systemd-container)"
done
shopt -s nullglob
debs=("$ROOT"/packaging/target/${PKG}_*_all.deb)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fatal "exactly one packaging/target/${PKG}_*_all.deb (found ${#debs[@]}; run mvn -B verify first)"
DEB=${debs[0]}
SIM_JAR=$ROOT/sim/target/lxc_sim.jar
[ -f "$SIM_JAR" ] || fatal "sim/target/lxc_sim.jar built (run mvn -B verify first)"
pass "found $(basename "$DEB") and lxc_sim.jar"

# remove_tree DIR: delete a (partial) root file system; whatever is still mounted below it (e.g. the
# /proc of an interrupted debootstrap) is unmounted first, and rm never crosses into another file system.
remove_tree() {
    local dir=$1
    [ -e "$dir" ] || return 0
    awk -v d="$dir/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
    rm -rf --one-file-system "$dir"
}

# The Debian mirror this machine's apt uses (deb822 or one-line sources), else deb.debian.org.
mirror() {
    local m
    m=$(grep -h -E '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -1)
    [ -n "$m" ] || m=$(grep -h -E "^deb [^ ]*/debian/? $SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | head -1)
    echo "${LXCAS_DEBIAN_MIRROR:-${m:-http://deb.debian.org/debian}}"
}
MIRROR=$(mirror)

# ---------------------------------------------------------------------------------------------------
section "root file system (Debian 12, cached under target/nspawn-rootfs)"
KEY=$(printf '%s\n' "$RECIPE" "$SUITE" minbase "${PACKAGES[@]}" | sha256sum | cut -c1-16)
ROOTFS=$CACHE_DIR/$SUITE-$KEY
if [ -x "$ROOTFS/lib/systemd/systemd" ] && [ -f "$ROOTFS/.complete" ]; then
    pass "reusing $ROOTFS"
else
    remove_tree "$ROOTFS"; remove_tree "$ROOTFS.partial"
    for old in "$CACHE_DIR"/*; do [ -e "$old" ] && { echo "    removing stale root file system $old"; remove_tree "$old"; }; done
    mkdir -p "$CACHE_DIR"
    t0=$(date +%s)
    include=$(IFS=,; echo "${PACKAGES[*]}")
    if debootstrap --variant=minbase --include="$include" "$SUITE" "$ROOTFS.partial" "$MIRROR" >"$TMP/debootstrap.log" 2>&1; then
        # No getty on the console (nothing reads it) and no clean-up of /tmp racing the test.
        ln -sf /dev/null "$ROOTFS.partial/etc/systemd/system/console-getty.service"
        echo lxcas-test > "$ROOTFS.partial/etc/hostname"
        chroot "$ROOTFS.partial" apt-get clean
        touch "$ROOTFS.partial/.complete"
        mv "$ROOTFS.partial" "$ROOTFS"
        pass "debootstrap --variant=minbase $SUITE from $MIRROR ($(( $(date +%s) - t0 )) s, $(du -sh "$ROOTFS" | cut -f1))"
    else
        tail -20 "$TMP/debootstrap.log" | sed 's/^/    /'
        remove_tree "$ROOTFS.partial"
        cannot_run "debootstrap $SUITE from $MIRROR failed (no network to the Debian mirror?)"
    fi
fi

mkdir -p "$STAGE"
cp "$DEB" "$SIM_JAR" "$ROOT/.ci/systemd-nspawn/scenario.yaml" "$STAGE/"
DEB_NAME=$(basename "$DEB")

# ---------------------------------------------------------------------------------------------------
section "boot"
# --volatile=overlay: the cached tree stays untouched, every change goes to a tmpfs overlay.
# --private-network: the container's own loopback, so port 5000 cannot clash with the host.
# SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1: cgroup v2 only inside, as on Proxmox VE 7 and later, whatever
# the host uses. --system-call-filter=bpf: nspawn's own seccomp filter refuses bpf(), and then the
# units' IPAddressDeny=/IPAddressAllow= are silently not enforced; a host's systemd has no such filter.
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn -D "$ROOTFS" --volatile=overlay --boot --register=no \
    --keep-unit --private-network --system-call-filter=bpf --machine="$MACHINE" \
    --bind-ro="$STAGE:$IN_STAGE" --console=passive >"$TMP/nspawn.log" 2>&1 &
NSPAWN_PID=$!
find_init() {
    local p
    for p in $(pgrep -P "$NSPAWN_PID"); do
        # the container's PID 1: its innermost PID is 1
        if [ "$(awk '/^NSpid:/ {print $NF}' "/proc/$p/status" 2>/dev/null)" = 1 ]; then CT_PID=$p; return 0; fi
    done
    return 1
}
if ! wait_for 30 find_init; then
    sed 's/^/    /' "$TMP/nspawn.log" | tail -20
    kill -0 "$NSPAWN_PID" 2>/dev/null || NSPAWN_PID=
    cannot_run "systemd-nspawn did not start a container (see its output above)"
fi
find_init
# systemctl needs the manager's socket: it appears a moment after PID 1 starts (later on a busy machine).
manager_up() { nsenter -t "$CT_PID" -a -r -w -- test -S /run/systemd/private; }
wait_for 90 manager_up || echo "    /run/systemd/private did not appear within 90 s"
state=$(timeout 120 nsenter -t "$CT_PID" -a -r -w -- /bin/systemctl is-system-running --wait 2>&1)
if [ "$state" = running ]; then
    pass "container booted: systemctl is-system-running = running ($(ct systemctl --version | head -1))"
elif [ "$state" = degraded ]; then
    fail "container booted: systemctl is-system-running = degraded (expected running)"
    ct systemctl --failed --no-legend | sed 's/^/    /'
else
    sed 's/^/    /' "$TMP/nspawn.log" | tail -20
    cannot_run "systemd did not boot in the container (is-system-running: '$state')"
fi
echo "    cgroup file system in the container: $(ct stat -fc %T /sys/fs/cgroup)"

# ---------------------------------------------------------------------------------------------------
section "install: apt-get install ./$DEB_NAME"
if ctsh "cd $IN_STAGE && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./$DEB_NAME" >"$TMP/install.log" 2>&1; then
    pass "apt-get install ./$DEB_NAME (Depends satisfied, postinst ran)"
else
    sed 's/^/    /' "$TMP/install.log" | tail -20
    fatal "apt-get install ./$DEB_NAME"
fi
grep -q 'generated a new API key' "$TMP/install.log" && pass "postinst says it generated an API key" \
    || fail "postinst says it generated an API key"
API_KEY=$(ct head -1 $CONF/api_key)
[[ "$API_KEY" =~ ^[0-9a-f]{64}$ ]] && pass "$CONF/api_key: 64 hex digits" || fail "$CONF/api_key: 64 hex digits (found '${API_KEY:0:8}…', ${#API_KEY} characters)"
[ "$(ct stat -c '%a %U' $CONF/api_key)" = "600 root" ] && pass "$CONF/api_key is 600 root" || fail "$CONF/api_key is 600 root"
for u in "${UNITS[@]}"; do
    [ "$(ct systemctl is-enabled "$u.service")" = enabled ] && pass "$u.service enabled by the package" || fail "$u.service enabled by the package"
    [ "$(prop "$u" ActiveState)" = inactive ] && pass "$u.service not started by the first install" || fail "$u.service not started by the first install"
done

# ---------------------------------------------------------------------------------------------------
section "Proxmox stand-in: the simulator as a transient unit"
expect "systemd-run --unit=lxc-sim (simulated node under $SIM_ROOT)" \
    ct systemd-run --unit=lxc-sim --description="simulated Proxmox node" \
    /usr/bin/java -XX:+UseSerialGC -Xmx256m -jar "$IN_STAGE/lxc_sim.jar" --root "$SIM_ROOT" \
    --scenario "$IN_STAGE/scenario.yaml" --log-level WARN
sim_ready() { ct test -x $SIM_ROOT/bin/pct -a -f $SIM_ROOT/etc/pve/lxc/$IDLE.conf -a -d $SIM_ROOT/sys/fs/cgroup/lxc/$IDLE; }
if wait_for 60 sim_ready; then pass "simulated node tree and pct/pvesh stand-ins ready"; else
    ct journalctl -u lxc-sim --no-pager | tail -20 | sed 's/^/    /'; fatal "simulated node tree ready"; fi
pct_cores() { ctsh "sed -n 's/^cores: //p' $SIM_ROOT/etc/pve/lxc/$1.conf"; }
BUSY_CORES0=$(pct_cores $BUSY)
IDLE_CORES0=$(pct_cores $IDLE)

# ---------------------------------------------------------------------------------------------------
section "point the installed YAML files at the stand-in (sed, as an administrator would)"
# edit FILE SED-EXPRESSION EXPECTED-LINE: apply one edit and check that it took effect.
edit() {
    local file=$CONF/$1 expr=$2 want=$3
    if ct sed -i -e "$expr" "$file" && ct grep -qxF -- "$want" "$file"; then pass "$1: '$want'"; else fail "$1: '$want' (sed '$expr' did not apply)"; fi
}
edit lxc_monitor.yaml "s#^  cgroup_root: /sys/fs/cgroup\$#  cgroup_root: $SIM_ROOT/sys/fs/cgroup#" "  cgroup_root: $SIM_ROOT/sys/fs/cgroup"
edit lxc_monitor.yaml "s#^  pve_lxc_dir: /etc/pve/lxc\$#  pve_lxc_dir: $SIM_ROOT/etc/pve/lxc#" "  pve_lxc_dir: $SIM_ROOT/etc/pve/lxc"
edit lxc_monitor.yaml "s#^  proc_root: /proc\$#  proc_root: $SIM_ROOT/proc#" "  proc_root: $SIM_ROOT/proc"
edit lxc_monitor.yaml "s#^  sys_class_net: /sys/class/net\$#  sys_class_net: $SIM_ROOT/sys/class/net#" "  sys_class_net: $SIM_ROOT/sys/class/net"
edit lxc_monitor.yaml "s#^  check_interval: 10\$#  check_interval: 2#" "  check_interval: 2"
edit lxc_autoscale_api.yaml "s#^  node:\$#  node: $SIM_NODE#" "  node: $SIM_NODE"
edit lxc_autoscale_api.yaml "s#^  pct_path: /usr/sbin/pct\$#  pct_path: $SIM_ROOT/bin/pct#" "  pct_path: $SIM_ROOT/bin/pct"
edit lxc_autoscale_api.yaml "s#^  pvesh_path: /usr/bin/pvesh\$#  pvesh_path: $SIM_ROOT/bin/pvesh#" "  pvesh_path: $SIM_ROOT/bin/pvesh"
edit lxc_autoscale_api.yaml "s#^  config_dir: /etc/pve/lxc\$#  config_dir: $SIM_ROOT/etc/pve/lxc#" "  config_dir: $SIM_ROOT/etc/pve/lxc"
edit lxc_autoscale_api.yaml "s#^  cgroup_root: /sys/fs/cgroup\$#  cgroup_root: $SIM_ROOT/sys/fs/cgroup#" "  cgroup_root: $SIM_ROOT/sys/fs/cgroup"
# The model: decisions within seconds instead of hours (cycle, history and warm-up), a long
# down-cooldown so that it can be watched surviving a restart.
edit lxc_autoscale_ml.yaml "s#^interval_seconds: 60\$#interval_seconds: 5#" "interval_seconds: 5"
edit lxc_autoscale_ml.yaml "s#^  min_rows_per_container: 30\$#  min_rows_per_container: 5#" "  min_rows_per_container: 5"
edit lxc_autoscale_ml.yaml "s#^  retrain_every_cycles: 60\$#  retrain_every_cycles: 5#" "  retrain_every_cycles: 5"
edit lxc_autoscale_ml.yaml "s#^  memory_warmup_hours: 24\$#  memory_warmup_hours: 0#" "  memory_warmup_hours: 0"
edit lxc_autoscale_ml.yaml "s#^  cpu_warmup_hours: 1\$#  cpu_warmup_hours: 0#" "  cpu_warmup_hours: 0"
edit lxc_autoscale_ml.yaml "s#^  up_cooldown_seconds: 300\$#  up_cooldown_seconds: 10#" "  up_cooldown_seconds: 10"
edit lxc_autoscale_ml.yaml "s#^  ram_scale_step_mb: 64\$#  ram_scale_step_mb: 256#" "  ram_scale_step_mb: 256"
for f in lxc_monitor lxc_autoscale_api lxc_autoscale_ml; do ct cp "$CONF/$f.yaml" "/root/$f.yaml.good"; done

# ---------------------------------------------------------------------------------------------------
section "systemctl start lxc_autoscale_api lxc_monitor lxc_autoscale_ml"
T_START=$(ct date +%s)
expect "systemctl start exits 0" ct systemctl start lxc_autoscale_api lxc_monitor lxc_autoscale_ml
running() { [ "$(prop "$1" ActiveState)/$(prop "$1" SubState)" = active/running ]; }
start_line() { ct journalctl -u "$1.service" --no-pager -o cat ${2:+--since=@$2} | grep -q "$1 .* starting with $CONF/$1.yaml"; }
for u in "${UNITS[@]}"; do
    if wait_for 10 running "$u"; then pass "$u.service active (running)"; else
        fail "$u.service active (running): $(prop "$u" ActiveState)/$(prop "$u" SubState)"; ct journalctl -u "$u" --no-pager | tail -15 | sed 's/^/    /'; fi
done
for u in "${UNITS[@]}"; do
    if wait_for 30 start_line "$u"; then pass "journalctl -u $u: '$u <version> starting with $CONF/$u.yaml'"; else
        fail "journalctl -u $u has the start line"; ct journalctl -u "$u" --no-pager | tail -15 | sed 's/^/    /'; fi
done
api_up() { [ "$(http_code http://127.0.0.1:5000/health/check)" = 200 ]; }
wait_for 60 api_up && pass "API answers on 127.0.0.1:5000" || fail "API answers on 127.0.0.1:5000"
# The units' IPAddressDeny= only means something if the BPF firewall is enforced here.
code=$(ct systemd-run --wait --pipe -q -p IPAddressDeny=any curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://127.0.0.1:5000/health/check)
[ "$code" = 000 ] && pass "IP firewalling is enforced here: a transient unit with IPAddressDeny=any cannot reach the API" \
    || fail "IP firewalling is enforced here (a unit with IPAddressDeny=any got HTTP $code from the API)"
code=$(http_code http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 401 ] && pass "curl /resource/lxc/configs without a key: 401" || fail "curl /resource/lxc/configs without a key: 401 (got $code)"
code=$(http_code -H "X-API-Key: $API_KEY" http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 200 ] && pass "curl /resource/lxc/configs with the generated key: 200" || fail "curl /resource/lxc/configs with the generated key: 200 (got $code)"
ct curl -s --max-time 10 -H "X-API-Key: $API_KEY" http://127.0.0.1:5000/resource/lxc/configs >"$TMP/configs.json"
grep -q "\"vmid\":$BUSY," "$TMP/configs.json" && pass "the API reads the stand-in's container configs ($BUSY listed)" \
    || { fail "the API reads the stand-in's container configs ($BUSY listed)"; head -c 400 "$TMP/configs.json" | sed 's/^/    /'; echo; }

METRICS=/var/log/lxc_metrics.json
JOURNAL=/var/log/lxc_autoscale_suggestions.json
AUDIT=/var/log/lxc_autoscale_api_audit.json
lines() { ctsh "[ -f $1 ] && wc -l < $1 || echo 0"; }
metrics_have() { [ "$(lines $METRICS)" -ge "$1" ]; }
if wait_for 60 metrics_have 3; then pass "lxc_monitor appends to $METRICS ($(lines $METRICS) lines)"; else
    fail "lxc_monitor appends to $METRICS"; ct journalctl -u lxc_monitor --no-pager | tail -15 | sed 's/^/    /'; fi
ctsh "tail -1 $METRICS | jq -e '.[\"$BUSY\"] and .[\"$IDLE\"] and .summary'" >/dev/null 2>&1 \
    && pass "the latest snapshot has containers $BUSY and $IDLE" || { fail "the latest snapshot has containers $BUSY and $IDLE"; ctsh "tail -1 $METRICS" | head -c 600 | sed 's/^/    /'; echo; }
[ "$(ct stat -c '%a' $METRICS)" = 600 ] && pass "$METRICS is 0600 (UMask=0077)" || fail "$METRICS is 0600 (found $(ct stat -c '%a' $METRICS))"

# journal_entries FILTER [FROM-LINE]: journal lines (from a line number on) matching a jq filter.
journal_entries() { ctsh "tail -n +${2:-1} $JOURNAL 2>/dev/null | jq -c 'select($1)' 2>/dev/null"; }
journal_has() { [ -n "$(journal_entries "$@")" ]; }
scaled_up="(.container_id == \"$BUSY\" and .outcome == \"applied\" and .cores_after > .cores_before)"
scaled_down="(.container_id == \"$IDLE\" and .outcome == \"applied\" and .cores_after < .cores_before)"
if wait_for 120 journal_has "$scaled_up"; then pass "the model journals an applied scale-up of $BUSY: $(journal_entries "$scaled_up" | head -1 | jq -r '"\(.cores_before) -> \(.cores_after) cores"')"; else
    fail "the model journals an applied scale-up of $BUSY"; journal_entries "true" | tail -4 | cut -c1-400 | sed 's/^/    /'; ct journalctl -u lxc_autoscale_ml --no-pager | tail -15 | sed 's/^/    /'; fi
if wait_for 120 journal_has "$scaled_down"; then pass "the model journals an applied scale-down of $IDLE: $(journal_entries "$scaled_down" | head -1 | jq -r '"\(.cores_before) -> \(.cores_after) cores"')"; else
    fail "the model journals an applied scale-down of $IDLE"; journal_entries "(.container_id == \"$IDLE\")" | tail -3 | cut -c1-400 | sed 's/^/    /'; fi
audit_has() { ctsh "jq -e -s 'map(select((tostring | contains(\"scale/cores\")) and (tostring | contains(\"$1\")))) | length > 0' $AUDIT"; }
wait_for 20 audit_has $BUSY && pass "the API's audit log has the /scale/cores call for $BUSY" \
    || { fail "the API's audit log has the /scale/cores call for $BUSY"; ct tail -3 $AUDIT | cut -c1-300 | sed 's/^/    /'; }
[ "$(pct_cores $BUSY)" -gt "$BUSY_CORES0" ] && pass "stand-in pct changed $BUSY: cores $BUSY_CORES0 -> $(pct_cores $BUSY)" \
    || fail "stand-in pct changed $BUSY's cores (still $(pct_cores $BUSY))"
[ "$(pct_cores $IDLE)" -lt "$IDLE_CORES0" ] && pass "stand-in pct changed $IDLE: cores $IDLE_CORES0 -> $(pct_cores $IDLE)" \
    || fail "stand-in pct changed $IDLE's cores (still $(pct_cores $IDLE))"

# ---------------------------------------------------------------------------------------------------
section "kill -9 of the API's and the monitor's main PIDs: systemd restarts them, they carry on"
# metrics_order FROM-LINE: every line from FROM-LINE on that parses has a later collection time than the one before.
metrics_valid() { ctsh "tail -n +$1 $METRICS | jq -R -r 'fromjson? | .summary.collection_end_time' | wc -l"; }
metrics_sorted() { ctsh "tail -n +$1 $METRICS | jq -R -r 'fromjson? | .summary.collection_end_time' | sort -c"; }
restarted() { [ "$(prop "$1" NRestarts)" -ge "$2" ] && running "$1" && [ "$(prop "$1" MainPID)" != "$3" ]; }
kill9() { # kill9 UNIT: SIGKILL the main PID, echo it
    local pid; pid=$(prop "$1" MainPID); ct kill -9 "$pid"; echo "$pid"; }
METRICS_BEFORE=$(lines $METRICS)
API_PID=$(kill9 lxc_autoscale_api)
MON_PID=$(kill9 lxc_monitor)
for pair in "lxc_autoscale_api:$API_PID" "lxc_monitor:$MON_PID"; do
    u=${pair%%:*} pid=${pair#*:}
    if wait_for 45 restarted "$u" 1 "$pid"; then pass "$u: killed (PID $pid), restarted by systemd (NRestarts=$(prop "$u" NRestarts), PID $(prop "$u" MainPID))"
    else fail "$u restarted after kill -9 ($(prop "$u" ActiveState)/$(prop "$u" SubState), NRestarts=$(prop "$u" NRestarts))"; fi
    ct journalctl -u "$u" --no-pager -o cat | grep -q 'Main process exited, code=killed, status=9/KILL' \
        && pass "$u: journal records the SIGKILL" || fail "$u: journal records the SIGKILL"
done
wait_for 60 api_up && [ "$(http_code -H "X-API-Key: $API_KEY" http://127.0.0.1:5000/resource/lxc/configs)" = 200 ] \
    && pass "restarted API answers 200 with the key" || fail "restarted API answers 200 with the key"
if wait_for 40 metrics_have $((METRICS_BEFORE + 4)); then
    total=$(( $(lines $METRICS) - METRICS_BEFORE + 1 ))
    valid=$(metrics_valid "$METRICS_BEFORE")
    [ $((total - valid)) -le 1 ] && pass "monitor appends after the restart: $total lines since the kill, $((total - valid)) torn (<= 1)" \
        || fail "monitor appends after the restart with at most one torn line ($((total - valid)) of $total)"
    expect "snapshots stay in time order across the restart" metrics_sorted 1
else
    fail "monitor appends after the restart"
fi

section "kill -9 of the model: restarted, and its cooldowns survive the restart"
# As an administrator might: put the idle container back to its old size with pct. The model wants
# to scale it down again, but its down-cooldown (down_cooldown_seconds, 3600 s) has not passed.
expect "pct set $IDLE --cores $IDLE_CORES0 (stand-in)" ct env LXC_SIM_LATENCY_MS=0 $SIM_ROOT/bin/pct set $IDLE --cores "$IDLE_CORES0"
waits="(.container_id == \"$IDLE\" and (.reason | contains(\"CPU scale-down waits for its cooldown\")))"
from=$(( $(lines $JOURNAL) + 1 ))
wait_for 60 journal_has "$waits" "$from" && pass "model: '$(journal_entries "$waits" "$from" | tail -1 | jq -r .reason | grep -o 'CPU scale-down waits[^;]*')'" \
    || { fail "model journals that $IDLE's scale-down waits for its cooldown"; journal_entries "(.container_id == \"$IDLE\")" "$from" | tail -2 | cut -c1-500 | sed 's/^/    /'; }
MODEL_PID=$(kill9 lxc_autoscale_ml)
from=$(( $(lines $JOURNAL) + 1 ))
if wait_for 45 restarted lxc_autoscale_ml 1 "$MODEL_PID"; then pass "lxc_autoscale_ml: killed (PID $MODEL_PID), restarted by systemd (PID $(prop lxc_autoscale_ml MainPID))"
else fail "lxc_autoscale_ml restarted after kill -9 ($(prop lxc_autoscale_ml ActiveState), NRestarts=$(prop lxc_autoscale_ml NRestarts))"; fi
idle_after_restart="(.container_id == \"$IDLE\")"
if wait_for 60 journal_has "$idle_after_restart" "$from"; then
    first=$(journal_entries "$idle_after_restart" "$from" | head -1)
    echo "$first" | jq -e ".reason | contains(\"CPU scale-down waits for its cooldown\")" >/dev/null \
        && pass "restarted model keeps the cooldown: '$(echo "$first" | jq -r .reason | grep -o 'CPU scale-down waits[^;]*')'" \
        || fail "restarted model keeps the cooldown (first decision for $IDLE: $(echo "$first" | cut -c1-400))"
else
    fail "restarted model journals decisions"; ct journalctl -u lxc_autoscale_ml --no-pager | tail -10 | sed 's/^/    /'
fi
[ "$(pct_cores $IDLE)" = "$IDLE_CORES0" ] && pass "$IDLE left at $IDLE_CORES0 cores (no scale-down during the cooldown)" \
    || fail "$IDLE left at $IDLE_CORES0 cores during the cooldown (found $(pct_cores $IDLE))"

# ---------------------------------------------------------------------------------------------------
section "systemctl reload: a changed value takes effect in the same process; a broken file is refused"
# reloaded UNIT SINCE TEXT: the unit's journal since SINCE (epoch seconds) has a line containing TEXT.
journal_since() { ct journalctl -u "$1.service" --no-pager -o cat --since=@"$2" | grep -qF -- "$3"; }
# reload_ok UNIT WHAT: systemctl reload exits 0, the journal says reloaded, same main PID, still active.
reload_ok() {
    local u=$1 what=$2 pid t
    pid=$(prop "$u" MainPID) t=$(ct date +%s)
    expect "$u: systemctl reload exits 0 ($what)" ct systemctl reload "$u"
    if wait_for 30 journal_since "$u" "$t" "$u: configuration reloaded"; then pass "$u: journal says 'configuration reloaded' ($what)"
    else fail "$u: journal says 'configuration reloaded' ($what)"; ct journalctl -u "$u" --no-pager -o cat --since=@"$t" | tail -8 | sed 's/^/    /'; fi
    running "$u" && [ "$(prop "$u" MainPID)" = "$pid" ] && pass "$u: still active (running), same main PID $pid" \
        || fail "$u: still active (running) with the same main PID ($(prop "$u" ActiveState)/$(prop "$u" SubState), PID $pid -> $(prop "$u" MainPID))"
}
T_RELOAD=$(ct date +%s)
# monitor: DEBUG from the next cycle on (the cycle line is logged at DEBUG only)
edit lxc_monitor.yaml "s#^  log_level: INFO\$#  log_level: DEBUG#" "  log_level: DEBUG"
reload_ok lxc_monitor "log_level INFO -> DEBUG"
wait_for 30 journal_since lxc_monitor "$T_RELOAD" "DEBUG MonitorLoop - cycle:" && pass "lxc_monitor: DEBUG cycle lines after the reload" \
    || fail "lxc_monitor: DEBUG cycle lines after the reload"
# model: dry run from the next cycle on
edit lxc_autoscale_ml.yaml "s#^  dry_run: false\$#  dry_run: true#" "  dry_run: true"
T_ML=$(ct date +%s)
reload_ok lxc_autoscale_ml "scaling.dry_run false -> true"
wait_for 30 journal_since lxc_autoscale_ml "$T_ML" "skipped (dry run)" && pass "lxc_autoscale_ml: cycles run as a dry run after the reload" \
    || fail "lxc_autoscale_ml: cycles run as a dry run after the reload"
# API: key rotation without a restart. The model sends line 1 of the key file, so the new key goes below it.
NEW_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ctsh "echo $NEW_KEY >> $CONF/api_key"
code=$(http_code -H "X-API-Key: $NEW_KEY" http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 403 ] && pass "a key added to the key file is refused before the reload (403)" || fail "a key added to the key file is refused before the reload (got $code)"
reload_ok lxc_autoscale_api "a key added to $CONF/api_key"
code=$(http_code -H "X-API-Key: $NEW_KEY" http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 200 ] && pass "the new key is accepted right after the reload (200)" || fail "the new key is accepted right after the reload (got $code)"
ctsh "head -1 $CONF/api_key > $CONF/api_key.new && cat $CONF/api_key.new > $CONF/api_key && rm $CONF/api_key.new"
reload_ok lxc_autoscale_api "the added key removed again"
code=$(http_code -H "X-API-Key: $NEW_KEY" http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 403 ] && pass "the removed key is refused right after the reload (403)" || fail "the removed key is refused right after the reload (got $code)"
code=$(http_code -H "X-API-Key: $API_KEY" http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 200 ] && pass "the generated key still works (200)" || fail "the generated key still works (got $code)"
# a broken file: refused with the --check-config message, the unit stays active with its settings
declare -A BAD=(
    [lxc_monitor]="s#^  check_interval: 2\$#  check_interval: 0#|monitoring.check_interval"
    [lxc_autoscale_api]="s#^  max_cores: 128\$#  max_cores: zero#|limits.max_cores"
    [lxc_autoscale_ml]="s#^interval_seconds: 5\$#interval_seconds: 1#|interval_seconds"
)
for u in "${UNITS[@]}"; do
    ct sed -i -e "${BAD[$u]%%|*}" "$CONF/$u.yaml"
    pid=$(prop "$u" MainPID) t=$(ct date +%s) key=${BAD[$u]#*|}
    expect "$u: systemctl reload of a broken file exits 0 (the signal was sent)" ct systemctl reload "$u"
    if wait_for 30 journal_since "$u" "$t" "configuration reload refused; the running settings stay"; then
        pass "$u: journal says the reload was refused"
    else
        fail "$u: journal says the reload was refused"; ct journalctl -u "$u" --no-pager -o cat --since=@"$t" | tail -8 | sed 's/^/    /'
    fi
    ct /usr/bin/java -jar "/usr/share/$PKG/$u.jar" --check-config --config "$CONF/$u.yaml" >/dev/null 2>"$TMP/check.txt"
    same=yes
    while IFS= read -r line; do [ -z "$line" ] || journal_since "$u" "$t" "$line" || same=no; done <"$TMP/check.txt"
    first=$(grep -m1 . "$TMP/check.txt")
    [ -n "$first" ] && grep -qF "key '$key'" "$TMP/check.txt" && [ $same = yes ] \
        && pass "$u: the journal has --check-config's message, line for line ('${first:0:80}…', key '$key')" \
        || fail "$u: the journal has --check-config's message for key '$key' (check-config said: $(head -3 "$TMP/check.txt"))"
    running "$u" && [ "$(prop "$u" MainPID)" = "$pid" ] && pass "$u: still active (running), same main PID" \
        || fail "$u: still active (running) after a refused reload ($(prop "$u" ActiveState))"
done
code=$(http_code -H "X-API-Key: $API_KEY" http://127.0.0.1:5000/resource/lxc/configs)
[ "$code" = 200 ] && pass "the API still answers 200 with its key after the refused reload" || fail "the API still answers after the refused reload (got $code)"
for u in "${UNITS[@]}"; do ct cp "/root/$u.yaml.good" "$CONF/$u.yaml"; reload_ok "$u" "the tested file back"; done

# ---------------------------------------------------------------------------------------------------
section "broken YAML: exit 2, no restart loop, the journal names file and key; fixed: restart recovers"
declare -A BREAK=(
    [lxc_monitor]="s#^  check_interval: 2\$#  check_interval: 0#|monitoring.check_interval"
    [lxc_autoscale_api]="s#^  port: 5000\$#  port: 70000#|server.port"
    [lxc_autoscale_ml]="s#^interval_seconds: 5\$#interval_seconds: 1#|interval_seconds"
)
declare -A INVOCATION
for u in "${UNITS[@]}"; do
    ct sed -i -e "${BREAK[$u]%%|*}" "$CONF/$u.yaml"
done
T_BROKEN=$(ct date +%s)
ct systemctl restart lxc_autoscale_api lxc_monitor lxc_autoscale_ml >/dev/null 2>&1
failed_state() { [ "$(prop "$1" ActiveState)" = failed ]; }
for u in "${UNITS[@]}"; do
    if wait_for 30 failed_state "$u"; then pass "$u.service failed with the broken file"; else fail "$u.service failed with the broken file ($(prop "$u" ActiveState))"; fi
    st=$(prop "$u" ExecMainStatus)
    [ "$st" = 2 ] && pass "$u: main process exit status 2" || fail "$u: main process exit status 2 (found '$st')"
    # every start, automatic restarts included, gets a new invocation ID (NRestarts is reset by a manual restart)
    INVOCATION[$u]=$(prop "$u" InvocationID)
done
# RestartSec=10: a restart, if any, would come 10 s after the failure. Watch for 15 s.
sleep 15
for u in "${UNITS[@]}"; do
    n=$(prop "$u" NRestarts) s=$(prop "$u" ActiveState) inv=$(prop "$u" InvocationID)
    [ "$s" = failed ] && [ "$inv" = "${INVOCATION[$u]}" ] && [ "$n" = 0 ] \
        && pass "$u: no restart 15 s later (RestartPreventExitStatus=2: still failed, same invocation, NRestarts=$n)" \
        || fail "$u: no restart after exit 2 (state $s, NRestarts $n, invocation ${INVOCATION[$u]} -> $inv)"
    key=${BREAK[$u]#*|}
    if ct journalctl -u "$u.service" --no-pager -o cat --since=@"$T_BROKEN" | grep -F "$CONF/$u.yaml" | grep -qF "key '$key'"; then
        pass "$u: journal names $CONF/$u.yaml and key '$key'"
    else
        fail "$u: journal names $CONF/$u.yaml and key '$key'"; ct journalctl -u "$u.service" --no-pager -o cat --since=@"$T_BROKEN" | tail -8 | sed 's/^/    /'
    fi
done
for u in "${UNITS[@]}"; do ct cp "/root/$u.yaml.good" "$CONF/$u.yaml"; done
T_FIXED=$(ct date +%s)
expect "fixed files: systemctl restart exits 0" ct systemctl restart lxc_autoscale_api lxc_monitor lxc_autoscale_ml
for u in "${UNITS[@]}"; do
    if wait_for 10 running "$u" && wait_for 30 start_line "$u" "$T_FIXED"; then pass "$u.service active (running) again, journal has a new start line"
    else fail "$u.service recovers after the fix ($(prop "$u" ActiveState)/$(prop "$u" SubState))"; fi
done
wait_for 60 api_up && pass "API answers again after the fix" || fail "API answers again after the fix"

# ---------------------------------------------------------------------------------------------------
section "the journals show no refusal by the sandbox"
# systemd's own complaints about the unit files (unknown or unsupported options, ignored lines)
complaints=$(ct journalctl -b _PID=1 --no-pager -o cat | grep -E '^lxc_[a-z_]+\.service: ' | grep -v -E ': (Killing process [0-9]+ .* with signal SIGKILL|Main process exited|Failed with result|Scheduled restart job|Consumed|Deactivated successfully|Succeeded|Control process exited)')
[ -z "$complaints" ] && pass "systemd logged no complaint about the three unit files" \
    || { fail "systemd logged no complaint about the three unit files"; echo "$complaints" | sed -E 's/[0-9]+/N/g' | sort | uniq -c | head -10 | sed 's/^/    /'; }
# After the main PID died (kill -9 above), systemd SIGKILLs what is left in the unit's cgroup: for the
# API, pct/pvesh calls that were running at that moment (docs/systemd.md, KillMode=).
echo "    processes left in a unit's cgroup after its main process died, killed by systemd:"
ct journalctl -b _PID=1 --no-pager -o cat | sed -n -E 's/^(lxc_[a-z_]+\.service): Killing process [0-9]+ \(([^)]*)\) with signal SIGKILL\./\1 \2/p' \
    | sort | uniq -c | sed 's/^/      /' | head -12
for u in "${UNITS[@]}"; do
    ct journalctl -u "$u.service" --no-pager -o cat >"$TMP/$u.journal"
    hits=$(grep -E -i 'Operation not permitted|Read-only file system|Permission denied|Bad system call|EPERM|EACCES|EROFS' "$TMP/$u.journal")
    [ -z "$hits" ] && pass "journalctl -u $u: no 'Operation not permitted', 'Read-only file system', 'Permission denied'" \
        || { fail "journalctl -u $u: no refusal by the sandbox"; echo "$hits" | head -5 | sed 's/^/    /'; }
    echo "    $u: $(grep -c -E 'WARN|ERROR' "$TMP/$u.journal") WARN/ERROR lines (the test kills and breaks each daemon on purpose); first ones:"
    grep -E 'WARN|ERROR' "$TMP/$u.journal" | cut -c1-200 | sort | uniq -c | sort -rn | head -4 | sed 's/^/      /'
done

# ---------------------------------------------------------------------------------------------------
section "systemd-analyze security"
SECURITY_DIR=$ROOT/target/systemd-analyze-security
mkdir -p "$SECURITY_DIR"
for u in "${UNITS[@]}"; do
    ct systemd-analyze security --no-pager "$u.service" >"$SECURITY_DIR/$u.txt" 2>&1
    score=$(tail -1 "$SECURITY_DIR/$u.txt" | sed 's/.*: //')
    [ -n "$score" ] && pass "systemd-analyze security $u.service: $score (table in target/systemd-analyze-security/$u.txt)" \
        || fail "systemd-analyze security $u.service gives a score"
done

# The monitor keeps ~13-16 cgroup files open per container (docs/monitor.md): its unit raises the descriptor limit.
nofile=$(prop lxc_monitor LimitNOFILE)
[ "$nofile" = 65536 ] && pass "lxc_monitor.service: LimitNOFILE=65536" || fail "lxc_monitor.service: LimitNOFILE=65536 (got '$nofile')"
pid=$(prop lxc_monitor MainPID)
if [ -n "$pid" ] && [ "$pid" -gt 0 ]; then
    # systemd cannot raise a limit above its own hard limit: the container's PID 1 inherits the host's
    # (524288 on Proxmox VE, 20000 on some CI machines), so the unit's 65536 is capped at that ceiling.
    ceiling=$(ct cat /proc/1/limits | awk '/^Max open files/ {print $5}')
    want=65536
    [ "$ceiling" != unlimited ] && [ -n "$ceiling" ] && [ "$ceiling" -lt 65536 ] && want=$ceiling
    lim=$(ct cat "/proc/$pid/limits" | awk '/^Max open files/ {print $4}')
    [ "$lim" = "$want" ] && pass "running lxc_monitor: Max open files $lim (unit 65536, PID 1 hard limit $ceiling)" \
        || fail "running lxc_monitor: Max open files $want = min(65536, PID 1 hard limit $ceiling) (got '$lim')"
fi

# ---------------------------------------------------------------------------------------------------
section "systemctl stop: each daemon exits 0 within its TimeoutStopSec"
sleep 3 # let the JVMs finish starting (a SIGTERM during start-up exits 143, tolerated by SuccessExitStatus)
for u in lxc_autoscale_ml lxc_autoscale_api lxc_monitor; do
    limit=$(ct systemctl cat "$u.service" | sed -n 's/^TimeoutStopSec=\([0-9]*\)$/\1/p' | tail -1)
    t0=$(date +%s%N)
    ct systemctl stop "$u.service"
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    st=$(prop "$u" ExecMainStatus) res=$(prop "$u" Result) state=$(prop "$u" ActiveState)
    [ "$state" = inactive ] && [ "$res" = success ] && [ "$st" = 0 ] \
        && pass "systemctl stop $u: exit status 0, Result=success, inactive, ${ms} ms (TimeoutStopSec ${limit:-?} s)" \
        || fail "systemctl stop $u: exit status 0 and inactive (status '$st', Result=$res, $state)"
    [ -n "$limit" ] && [ "$limit" -gt 0 ] && [ "$ms" -lt $((limit * 1000)) ] && pass "$u stopped within TimeoutStopSec (${ms} ms < ${limit} s)" \
        || fail "$u stopped within TimeoutStopSec (${ms} ms, limit '${limit}')"
    ct journalctl -u "$u.service" --no-pager -o cat | tail -5 | grep -q "$u stopped (exit code 0)" \
        && pass "$u: journal says '$u stopped (exit code 0)'" || fail "$u: journal says '$u stopped (exit code 0)'"
done

# ---------------------------------------------------------------------------------------------------
section "apt-get remove, then apt-get purge"
ct systemctl start lxc_autoscale_api lxc_monitor lxc_autoscale_ml >/dev/null 2>&1
wait_for 10 running lxc_monitor
if ct env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q $PKG >"$TMP/remove.log" 2>&1; then pass "apt-get remove $PKG"; else fail "apt-get remove $PKG"; tail -10 "$TMP/remove.log" | sed 's/^/    /'; fi
for u in "${UNITS[@]}"; do
    s=$(prop "$u" ActiveState); [ "$s" != active ] && pass "$u stopped by remove ($s)" || fail "$u stopped by remove (still $s)"
done
for p in /usr/share/$PKG/lxc_monitor.jar /lib/systemd/system/lxc_monitor.service; do
    ct test -e "$p" && fail "$p removed by remove" || pass "$p removed by remove"
done
for p in $CONF/api_key $CONF/lxc_monitor.yaml $METRICS $JOURNAL $AUDIT; do
    ct test -e "$p" && pass "$p kept by remove (installation.md)" || fail "$p kept by remove (installation.md)"
done
if ct env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $PKG >"$TMP/purge.log" 2>&1; then pass "apt-get purge $PKG"; else fail "apt-get purge $PKG"; tail -10 "$TMP/purge.log" | sed 's/^/    /'; fi
[ "$(ct dpkg-query -W -f='${db:Status-Status}' $PKG 2>/dev/null)" = not-installed ] || ! ct dpkg-query -W $PKG >/dev/null 2>&1 \
    && pass "dpkg forgot $PKG" || fail "dpkg forgot $PKG"
for p in $CONF $CONF/api_key /usr/share/$PKG /var/lib/$PKG /run/lxc_autoscale_ml /run/lxc_autoscale_ml.lock \
         $METRICS $JOURNAL $AUDIT /var/log/lxc_monitor.log /var/log/lxc_autoscale_ml.log; do
    ct test -e "$p" && fail "$p removed by purge" || pass "$p removed by purge"
done
left=$(ctsh 'ls -d /lib/systemd/system/lxc_*.service /etc/systemd/system/*.wants/lxc_*.service /etc/systemd/system/lxc_*.service 2>/dev/null')
[ -z "$left" ] && pass "no unit files or enablement links left" || fail "no unit files or enablement links left: $left"
n=$(ct systemctl list-unit-files --no-legend 'lxc_*' | wc -l)
[ "$n" = 0 ] && pass "systemctl list-unit-files knows no lxc_* unit" || fail "systemctl list-unit-files knows no lxc_* unit ($n listed)"
