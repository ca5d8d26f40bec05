#!/usr/bin/env bash
# Installs the .deb built by `mvn -B verify` on this machine, checks what it installed, then purges
# it and checks that nothing is left. Run as root on a Debian 12 machine without the package
# installed. Prints one line per check ("ok -" / "FAIL -") and exits non-zero if any check failed.
# The package is purged on exit whatever happens (trap), so a failed run leaves nothing behind.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PKG=lxc-autoscale-ml
CONF_DIR=/etc/lxc_autoscale_ml
SHARE_DIR=/usr/share/lxc-autoscale-ml
UNIT_DIR=/lib/systemd/system
STATE_DIR=/var/lib/lxc-autoscale-ml
DOC_DIR=/usr/share/doc/$PKG
AUDIT_LOG=/var/log/lxc_autoscale_api_audit.json
UNITS=(lxc_monitor lxc_autoscale_ml lxc_autoscale_api)
# daemon name -> jar (same names as the units and the YAML files)
declare -A JAR=([lxc_monitor]=lxc_monitor.jar [lxc_autoscale_ml]=lxc_autoscale_ml.jar [lxc_autoscale_api]=lxc_autoscale_api.jar)

failures=0
checks=0
installed_by_us=0
TMP=$(mktemp -d /tmp/deb-check.XXXXXX)

ok()   { checks=$((checks + 1)); echo "ok - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $*"; }
# check "description" command...: ok when the command succeeds.
check() { local what=$1; shift; if "$@" >"$TMP/out" 2>&1; then ok "$what"; else fail "$what"; sed 's/^/    /' "$TMP/out" | head -20; fi; }
fatal() { fail "$*"; echo "stopping: the remaining checks depend on this one"; exit 1; }

is_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null)" = installed ]; }
is_known() { dpkg-query -W -f='${db:Status-Status}' "$PKG" >/dev/null 2>&1 \
    && [ "$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null)" != not-installed ]; }

cleanup() {
    local rc=$?
    if [ "$installed_by_us" = 1 ] && is_known; then
        echo "cleanup: purging $PKG"
        dpkg --purge "$PKG" >/dev/null 2>&1 || echo "cleanup: dpkg --purge $PKG failed"
    fi
    rm -rf "$TMP"
    echo "deb-check: $checks checks, $failures failed"
    if [ "$failures" -gt 0 ] || [ "$rc" -ne 0 ]; then
        echo "deb-check: FAILED"
        exit 1
    fi
    echo "deb-check: PASSED"
    exit 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mode_owner PATH MODE OWNER: exact octal mode and user:group.
mode_owner() {
    local path=$1 mode=$2 owner=$3 actual
    actual=$(stat -c '%a %U:%G' "$path" 2>/dev/null) || { fail "$path exists"; return; }
    if [ "$actual" = "$mode $owner" ]; then ok "$path is $mode $owner"; else fail "$path is $mode $owner (found $actual)"; fi
}

echo "== preconditions"
[ "$(id -u)" = 0 ] || fatal "running as root (dpkg -i needs it)"
ok "running as root"
shopt -s nullglob
debs=("$ROOT"/packaging/target/${PKG}_*_all.deb)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fatal "exactly one packaging/target/${PKG}_*_all.deb (found ${#debs[@]}; run mvn -B verify first)"
DEB=${debs[0]}
ok "found $(basename "$DEB")"
if is_known; then
    fatal "$PKG is not already installed or configured here (it is: purge it first; this check must not touch a real installation)"
fi
[ ! -e "$CONF_DIR" ] || fatal "$CONF_DIR does not exist before the install (it does: refusing to overwrite it)"
ok "$PKG not installed and $CONF_DIR absent"

echo "== every unit option is explained in docs/systemd.md"
for unit in "$ROOT"/systemd/*.service; do
    for key in $(grep -o -E '^[A-Z][A-Za-z]+=' "$unit" | sort -u); do
        grep -q "\`$key" "$ROOT/docs/systemd.md" && ok "$(basename "$unit"): $key explained" \
            || fail "$(basename "$unit"): $key explained in docs/systemd.md"
    done
done

echo "== package metadata and contents (dpkg-deb)"
field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = "$PKG" ] && ok "Package: $PKG" || fail "Package: $PKG (found $(field Package))"
[ "$(field Architecture)" = all ] && ok "Architecture: all" || fail "Architecture: all (found $(field Architecture))"
[ "$(field Section)" = admin ] && ok "Section: admin" || fail "Section: admin (found $(field Section))"
case "$(field Depends)" in
    *"openjdk-17-jre-headless | java17-runtime-headless"*) ok "Depends: openjdk-17-jre-headless | java17-runtime-headless" ;;
    *) fail "Depends names a Java 17 headless runtime (found '$(field Depends)')" ;;
esac
[ -n "$(field Maintainer)" ] && ok "Maintainer set" || fail "Maintainer set"
[ -n "$(field Description)" ] && ok "Description set" || fail "Description set"
version=$(field Version)
if dpkg --validate-version "$version" 2>/dev/null; then ok "Version '$version' is a valid Debian version"; else fail "Version '$version' is a valid Debian version"; fi
case "$(basename "$DEB")" in
    "${PKG}_${version}_all.deb") ok "file name matches ${PKG}_<version>_all.deb" ;;
    *) fail "file name $(basename "$DEB") matches ${PKG}_${version}_all.deb" ;;
esac
dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's#^\./#/#' > "$TMP/contents"
for p in "$SHARE_DIR/lxc_monitor.jar" "$SHARE_DIR/lxc_autoscale_ml.jar" "$SHARE_DIR/lxc_autoscale_api.jar" \
         "$UNIT_DIR/lxc_monitor.service" "$UNIT_DIR/lxc_autoscale_ml.service" "$UNIT_DIR/lxc_autoscale_api.service" \
         "$CONF_DIR/lxc_monitor.yaml" "$CONF_DIR/lxc_autoscale_ml.yaml" "$CONF_DIR/lxc_autoscale_api.yaml" \
         /etc/logrotate.d/$PKG "$DOC_DIR/copyright" "$DOC_DIR/THIRD-PARTY-NOTICES" "$DOC_DIR/LICENSE" "$STATE_DIR/" \
         "$SHARE_DIR/grafana/lxc-autoscale-ml.json"; do
    grep -qx -- "$p" "$TMP/contents" && ok "package contains $p" || fail "package contains $p"
done
if grep -q 'api_key' "$TMP/contents"; then fail "package ships no API key file"; else ok "package ships no API key file"; fi
dpkg-deb --ctrl-tarfile "$DEB" | tar -t | sed 's#^\./##' > "$TMP/control-files"
for s in postinst prerm postrm conffiles; do
    grep -qx "$s" "$TMP/control-files" && ok "control archive has $s" || fail "control archive has $s"
done
mkdir -p "$TMP/ctrl" && dpkg-deb -e "$DEB" "$TMP/ctrl"
for s in postinst prerm postrm; do
    check "$s is valid sh (sh -n)" sh -n "$TMP/ctrl/$s"
    grep -q '^set -e' "$TMP/ctrl/$s" && ok "$s uses set -e" || fail "$s uses set -e"
done
dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./usr/share/doc/$PKG/THIRD-PARTY-NOTICES > "$TMP/notices" 2>/dev/null
grep -q 'com.github.haifengl:smile-core' "$TMP/notices" && grep -q 'GPL-3.0' "$TMP/notices" \
    && ok "THIRD-PARTY-NOTICES lists Smile and the GPL-3.0 note" || fail "THIRD-PARTY-NOTICES lists Smile and the GPL-3.0 note"
if grep -q 'Unknown license' "$TMP/notices"; then fail "every bundled library has a known licence"; else ok "every bundled library has a known licence"; fi

echo "== install"
installed_by_us=1
if dpkg -i "$DEB" >"$TMP/install.log" 2>&1; then
    ok "dpkg -i $(basename "$DEB")"
else
    echo "    dpkg -i failed, retrying with apt-get (missing dependencies?)"
    sed 's/^/    /' "$TMP/install.log" | tail -10
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$DEB" >"$TMP/install.log" 2>&1; then
        ok "apt-get install $(basename "$DEB")"
    else
        sed 's/^/    /' "$TMP/install.log" | tail -20
        fatal "install $(basename "$DEB")"
    fi
fi
is_installed && ok "dpkg reports $PKG installed" || fatal "dpkg reports $PKG installed"
grep -q 'units enabled but not started' "$TMP/install.log" \
    && ok "first install says the units are not started" || fail "first install says the units are not started"

echo "== installed files, owners and modes"
for j in lxc_monitor.jar lxc_autoscale_ml.jar lxc_autoscale_api.jar; do mode_owner "$SHARE_DIR/$j" 644 root:root; done
mode_owner "$SHARE_DIR/grafana/lxc-autoscale-ml.json" 644 root:root
check "the Grafana dashboard installed is the repository's" cmp "$ROOT/packaging/src/grafana/lxc-autoscale-ml.json" "$SHARE_DIR/grafana/lxc-autoscale-ml.json"
for u in "${UNITS[@]}"; do mode_owner "$UNIT_DIR/$u.service" 644 root:root; done
mode_owner "$CONF_DIR" 755 root:root
for u in "${UNITS[@]}"; do mode_owner "$CONF_DIR/$u.yaml" 640 root:root; done
mode_owner "$CONF_DIR/api_key" 600 root:root
mode_owner "$STATE_DIR" 700 root:root
mode_owner "$AUDIT_LOG" 600 root:root
mode_owner /etc/logrotate.d/$PKG 644 root:root
mode_owner "$DOC_DIR/copyright" 644 root:root
key=$(head -1 "$CONF_DIR/api_key" 2>/dev/null)
if [[ "$key" =~ ^[0-9a-f]{64}$ ]]; then ok "api_key line 1 is 64 hex digits (32 random bytes)"; else fail "api_key line 1 is 64 hex digits (found ${#key} characters)"; fi
for u in "${UNITS[@]}"; do
    link=/etc/systemd/system/multi-user.target.wants/$u.service
    [ -L "$link" ] && [ "$(readlink "$link")" = "$UNIT_DIR/$u.service" ] \
        && ok "$u.service enabled ($link)" || fail "$u.service enabled ($link)"
done
if [ -d /run/systemd/system ]; then
    for u in "${UNITS[@]}"; do
        if systemctl --quiet is-active "$u.service"; then fail "$u.service not started by the first install"; else ok "$u.service not started by the first install"; fi
    done
else
    echo "    (systemd is not running here: start state not checked)"
fi
if command -v logrotate >/dev/null 2>&1; then
    check "logrotate accepts /etc/logrotate.d/$PKG (logrotate -d)" logrotate -d /etc/logrotate.d/$PKG
else
    echo "    (logrotate not installed here: syntax not checked)"
fi

echo "== conffiles"
dpkg-query -W --showformat='${Conffiles}\n' "$PKG" > "$TMP/conffiles"
for c in "$CONF_DIR/lxc_monitor.yaml" "$CONF_DIR/lxc_autoscale_ml.yaml" "$CONF_DIR/lxc_autoscale_api.yaml" /etc/logrotate.d/$PKG; do
    grep -q "^ $c [0-9a-f]\{32\}" "$TMP/conffiles" && ok "conffile registered: $c" || fail "conffile registered: $c"
done
if grep -q api_key "$TMP/conffiles"; then fail "api_key is not a conffile"; else ok "api_key is not a conffile"; fi

echo "== systemd units"
for u in "${UNITS[@]}"; do
    if systemd-analyze verify "$UNIT_DIR/$u.service" >"$TMP/verify" 2>&1 && ! grep -q 'lxc_' "$TMP/verify"; then
        ok "systemd-analyze verify $u.service"
    else
        fail "systemd-analyze verify $u.service"; sed 's/^/    /' "$TMP/verify" | head -20
    fi
    grep -q "^ExecStart=/usr/bin/java .* -jar $SHARE_DIR/${JAR[$u]} --config $CONF_DIR/$u.yaml\$" "$UNIT_DIR/$u.service" \
        && ok "$u.service runs ${JAR[$u]} with $CONF_DIR/$u.yaml" || fail "$u.service runs ${JAR[$u]} with $CONF_DIR/$u.yaml"
    for opt in 'Restart=on-failure' 'RestartPreventExitStatus=2 3' 'StartLimitBurst=' 'StartLimitIntervalSec=' \
               'StandardError=journal' 'UMask='; do
        grep -q "^$opt" "$UNIT_DIR/$u.service" && ok "$u.service: $opt" || fail "$u.service: $opt"
    done
    rs=$(sed -n 's/^RestartSec=//p' "$UNIT_DIR/$u.service")
    [ -n "$rs" ] && [ "$rs" -ge 5 ] 2>/dev/null && ok "$u.service: RestartSec=$rs (>= 5)" || fail "$u.service: RestartSec >= 5 (found '$rs')"
done
for u in lxc_monitor lxc_autoscale_ml; do
    for opt in 'RuntimeDirectory=lxc_autoscale_ml' 'RuntimeDirectoryPreserve=yes' 'UMask=0077'; do
        grep -q "^$opt\$" "$UNIT_DIR/$u.service" && ok "$u.service: $opt" || fail "$u.service: $opt"
    done
done
for dep in lxc_monitor.service lxc_autoscale_api.service; do
    grep -q "^After=.*$dep" "$UNIT_DIR/lxc_autoscale_ml.service" && grep -q "^Wants=.*$dep" "$UNIT_DIR/lxc_autoscale_ml.service" \
        && ok "lxc_autoscale_ml.service After= and Wants= $dep" || fail "lxc_autoscale_ml.service After= and Wants= $dep"
done

echo "== installed jars against the installed configuration"
for u in "${UNITS[@]}"; do
    jar=$SHARE_DIR/${JAR[$u]}
    out=$TMP/$u.out
    java -jar "$jar" --version >"$out" 2>&1; rc=$?
    [ $rc -eq 0 ] && grep -q "$u" "$out" && ok "$u --version (exit 0): $(head -1 "$out")" \
        || { fail "$u --version exits 0 and names $u (exit $rc)"; sed 's/^/    /' "$out" | head -5; }
    java -jar "$jar" --config "$CONF_DIR/$u.yaml" --check-config >"$out" 2>&1; rc=$?
    [ $rc -eq 0 ] && ok "$u --check-config $CONF_DIR/$u.yaml (exit 0)" \
        || { fail "$u --check-config $CONF_DIR/$u.yaml exits 0 (exit $rc)"; sed 's/^/    /' "$out" | head -15; }
    # A broken file must be refused with exit 2, proving the check is real.
    printf 'this: is: not [valid yaml\n' > "$TMP/$u.broken.yaml"
    java -jar "$jar" --config "$TMP/$u.broken.yaml" --check-config >"$out" 2>&1; rc=$?
    [ $rc -eq 2 ] && ok "$u --check-config rejects a broken file (exit 2)" \
        || { fail "$u --check-config rejects a broken file with exit 2 (exit $rc)"; sed 's/^/    /' "$out" | head -5; }
done

echo "== reinstall keeps the API key and an edited conffile"
key_before=$(sha256sum "$CONF_DIR/api_key" | cut -d' ' -f1)
echo "# edited by deb-check" >> "$CONF_DIR/lxc_monitor.yaml"
yaml_before=$(sha256sum "$CONF_DIR/lxc_monitor.yaml" | cut -d' ' -f1)
chmod 0644 "$CONF_DIR/api_key"
if dpkg -i --force-confold "$DEB" >"$TMP/reinstall.log" 2>&1; then ok "dpkg -i again (upgrade path)"; else fail "dpkg -i again (upgrade path)"; sed 's/^/    /' "$TMP/reinstall.log" | tail -10; fi
[ "$(sha256sum "$CONF_DIR/api_key" | cut -d' ' -f1)" = "$key_before" ] && ok "API key unchanged by reinstall" || fail "API key unchanged by reinstall"
mode_owner "$CONF_DIR/api_key" 600 root:root
[ "$(sha256sum "$CONF_DIR/lxc_monitor.yaml" | cut -d' ' -f1)" = "$yaml_before" ] && ok "edited lxc_monitor.yaml kept by reinstall" || fail "edited lxc_monitor.yaml kept by reinstall"
check "postinst configure runs twice (idempotent)" /var/lib/dpkg/info/$PKG.postinst configure "$version"

echo "== purge"
if dpkg --purge "$PKG" >"$TMP/purge.log" 2>&1; then ok "dpkg --purge $PKG"; else fail "dpkg --purge $PKG"; sed 's/^/    /' "$TMP/purge.log" | tail -10; fi
is_known && fail "dpkg forgot $PKG" || ok "dpkg forgot $PKG"
installed_by_us=0
for p in "$CONF_DIR" "$SHARE_DIR" "$STATE_DIR" "$DOC_DIR" /etc/logrotate.d/$PKG /run/lxc_autoscale_ml /run/lxc_autoscale_ml.lock "$AUDIT_LOG"; do
    [ -e "$p" ] && fail "$p removed by purge" || ok "$p removed by purge"
done
left=$(ls -d $UNIT_DIR/lxc_*.service /etc/systemd/system/*.wants/lxc_*.service /etc/systemd/system/lxc_*.service \
          /var/lib/systemd/deb-systemd-helper-enabled/*lxc_* /var/lib/systemd/deb-systemd-helper-masked/lxc_* 2>/dev/null)
[ -z "$left" ] && ok "no unit files, enablement links or masks left" || fail "no unit files, enablement links or masks left: $left"
