#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/system/run.sh [BUILD_DIR] [CMAKE]: trendd under a real systemd (CTest system.systemd).
#
# Boots Debian bookworm with systemd as PID 1 in a systemd-nspawn container
# (/work/shared/systemd-testing.md), installs the freshly built trendd into it with
# `cmake --install`, serves the example feeds from inside it (python3 -m http.server on
# 127.0.0.1, no network needed) and checks what only a real service manager can show:
# readiness, reload, restart after a crash and after a missed watchdog, the credential, the
# journal priorities, the sandbox and the group permissions of the database and socket.
# Then the Debian package (scripts/package, built into BUILD_DIR/package) in a second, fresh
# container: `apt-get install ./trendd_*.deb` (offline: every dependency is in the image)
# starts the service, `trendctl status` exits 0 once it polls local feeds, the example
# metrics timer writes its file, `apt-get remove` stops it and keeps the configuration and the
# data, `apt-get purge` removes both (docs/operations.md). Without dpkg-buildpackage, debhelper
# or lintian, that part is left out, and the test says so.
#
# Exit 0 pass, 1 fail, 125 skip (not root, sanitizer build, no debootstrap/systemd-nspawn, or
# the container cannot be built or booted here). Needs the packages debootstrap and
# systemd-container (scripts/packages.txt).
#
# The bookworm root file system is built once (1-3 min, ~250 MB) into TRENDD_ROOTFS_CACHE
# (default .cache/system-rootfs, shared by all build trees) and copied afresh for every run into
# BUILD_DIR/system-test/root, so each boot starts clean. TRENDD_SYSTEM_KEEP=1 keeps that copy
# and the container's journal for a post-mortem.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
build="${1:-$src/build}"
cmake="${2:-cmake}"

skip() { echo "SKIP: $*"; exit 125; }
say() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }

[[ $(id -u) -eq 0 ]] || skip "the system test needs root (debootstrap, systemd-nspawn); run it as root or via sudo"
[[ -d $build ]] || { echo "FAIL: no build directory $build"; exit 1; }
build="$(cd "$build" && pwd)"
if grep -q '^TRENDD_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    skip "sanitizer build: its binaries need libasan inside the container; the system test runs on the normal build"
fi
for tool in debootstrap systemd-nspawn nsenter setsid flock; do
    command -v "$tool" >/dev/null ||
        skip "$tool not found: install debootstrap and systemd-container (scripts/install-deps does)"
done
for bin in trendd trendctl; do
    [[ -x $build/daemon/$bin ]] || { echo "FAIL: $build/daemon/$bin is not built"; exit 1; }
done

# The Debian package, built first: it is installed in the second container, at the end.
deb=""
if command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null && command -v lintian >/dev/null; then
    printf '[%3ds] %s\n' "$SECONDS" "building the Debian package: scripts/package $build/package"
    if ! "$src/scripts/package" "$build/package" >"$build/package.log" 2>&1; then
        tail -40 "$build/package.log"
        echo "FAIL: scripts/package (log: $build/package.log)"
        exit 1
    fi
    deb=$(find "$build/package" -maxdepth 1 -name 'trendd_*.deb' -print -quit)
    printf '[%3ds] %s\n' "$SECONDS" "built $deb (lintian: no errors, no warnings)"
else
    echo "NOTE: dpkg-buildpackage, debhelper or lintian not found: the package is not tested"
fi

work="$build/system-test"
rootfs="$work/root"
cache="${TRENDD_ROOTFS_CACHE:-$src/.cache/system-rootfs}"
machine="trendd-test-$$"
mkdir -p "$work" "$cache"

# ---- teardown, always, by the PIDs we started ----------------------------------------------
NS="" CPID="" failed=1
teardown() {
    local rc=$?
    set +e
    if ((failed)) && [[ -n $CPID ]] && kill -0 "$CPID" 2>/dev/null; then
        echo "---- diagnostics: systemctl status trendd; journalctl -u trendd (last 80 lines)"
        ctr systemctl status trendd --no-pager -l 2>&1 | head -30
        ctr journalctl -u trendd -u trendd-test-feeds --no-pager -n 80 -o short-monotonic 2>&1
        echo "---- console: $work/console.log"
    fi
    poweroff
    if [[ ${TRENDD_SYSTEM_KEEP:-0} != 1 ]]; then
        rm -rf "$rootfs"
        say "removed $rootfs"
    else
        echo "kept: $rootfs"
    fi
    exit "$rc"
}
# poweroff: stops the container we booted (NS, CPID) and forgets it.
poweroff() {
    if [[ -n $NS ]] && kill -0 "$NS" 2>/dev/null; then
        kill -TERM "$NS" 2>/dev/null # clean power-off of the container, 1-2 s
        for _ in $(seq 150); do kill -0 "$NS" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$NS" 2>/dev/null; then
            echo "container did not power off in 15 s: SIGKILL"
            [[ -n $CPID ]] && kill -KILL "$CPID" 2>/dev/null
            kill -KILL "$NS" 2>/dev/null
        fi
        wait "$NS" 2>/dev/null
    fi
    rm -rf "/run/systemd/nspawn/propagate/$machine" "$work/nspawn.pid"
    [[ -n $NS ]] && say "container stopped"
    NS="" CPID=""
}
trap teardown EXIT
trap 'exit 130' INT TERM HUP

# A container left behind by a run that was killed (SIGKILL skips the trap): it is ours if
# its command line names our root directory.
if [[ -f $work/nspawn.pid ]]; then
    old=$(cat "$work/nspawn.pid")
    if [[ $old =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$old/cmdline" 2>/dev/null | grep -qF -- "-D $rootfs "; then
        echo "stopping the container of an earlier run (pid $old)"
        kill -TERM "$old"; sleep 3; kill -KILL "$old" 2>/dev/null || true
    fi
    rm -f "$work/nspawn.pid"
fi

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
check() { # check "what" command...: the command must succeed
    local what="$1"
    shift
    "$@" || fail "$what"
    say "ok: $what"
}

# ---- the root file system ------------------------------------------------------------------
# systemd and the tools the test uses, plus the packages of the shared libraries trendd and
# trendctl load (from ldd, so a new dependency rebuilds the cache).
tools="systemd dbus procps sqlite3 ca-certificates python3 passwd util-linux"
libs=$(ldd "$build/daemon/trendd" "$build/daemon/trendctl" | awk '/=> \// {print $3}' | sort -u)
base_complete() { # the cached tree has every tool package and every library
    local lib
    [[ -f $cache/base/.trendd-complete ]] || return 1
    # shellcheck disable=SC2086
    [[ $(dpkg-query --admindir="$cache/base/var/lib/dpkg" -W -f='${db:Status-Status}\n' $tools 2>/dev/null |
        grep -c '^installed$') -eq $(wc -w <<<"$tools") ]] || { say "the cached root file system lacks a tool"; return 1; }
    local have
    have=$(chroot "$cache/base" /sbin/ldconfig -p)
    for lib in $libs; do
        grep -qF "/${lib##*/}" <<<"$have" || { say "the cached root file system lacks ${lib##*/}"; return 1; }
    done
}
packages_of_libs() {
    local lib
    for lib in $libs; do
        # dpkg knows a library under the path its package ships (/lib or /usr/lib, merged /usr).
        dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
            dpkg -S "/usr${lib#/usr}" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null ||
            echo "warning: no Debian package provides $lib (needed by trendd)" >&2
    done | sed 's/:.*//'
}

exec 9>"$cache/.lock"
flock 9 # one builder at a time; copies are taken under the same lock
if ! base_complete; then
    # shellcheck disable=SC2086 # $tools is a word list
    packages=$( (printf '%s\n' $tools; packages_of_libs) | sort -u | paste -sd, -)
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror="${mirror:-http://deb.debian.org/debian}"
    say "building the bookworm root file system in $cache (debootstrap from $mirror, 1-3 minutes)"
    rm -rf "$cache/base" "$cache/base.new"
    if ! debootstrap --variant=minbase --include="$packages" bookworm "$cache/base.new" "$mirror" \
        >"$cache/debootstrap.log" 2>&1; then
        tail -15 "$cache/debootstrap.log"
        rm -rf "$cache/base.new"
        skip "debootstrap could not build a bookworm root file system here (log: $cache/debootstrap.log)"
    fi
    # Names the feeds are served under: "localhost" (which libcurl resolves by itself) and
    # feeds.test, which goes through getaddrinfo() and the sandbox's address families.
    printf '127.0.0.1\tlocalhost feeds.test\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
        >"$cache/base.new/etc/hosts"
    rm -f "$cache/base.new/var/cache/apt/archives/"*.deb
    echo "$packages" >"$cache/base.new/.trendd-complete"
    mv "$cache/base.new" "$cache/base"
    say "root file system ready"
fi
flock -u 9
fresh_rootfs() { # a fresh copy of the cached root file system in $rootfs
    rm -rf "$rootfs"
    flock 9 # (copies are taken under the builder's lock)
    cp -a "$cache/base" "$rootfs"
    flock -u 9
    say "fresh copy of the root file system in $rootfs"
}
fresh_rootfs

# `cmake --install` rewrites BUILD_DIR/install_manifest.txt, which lists what a real install
# put on this machine (docs/operations.md uses it to uninstall): keep it as it was.
install_into() { # install_into DESTDIR LOG
    local manifest="$build/install_manifest.txt" saved="" rc=0
    if [[ -f $manifest ]]; then saved="$work/install_manifest.saved"; cp -p "$manifest" "$saved"; fi
    DESTDIR="$1" "$cmake" --install "$build" --prefix /usr >"$2" 2>&1 || rc=$?
    if [[ -n $saved ]]; then mv -f "$saved" "$manifest"; else rm -f "$manifest"; fi
    return "$rc"
}

# ---- install trendd into it, as a packager would --------------------------------------------
install_into "$rootfs" "$work/install.log" ||
    { cat "$work/install.log"; fail "cmake --install"; }
unit="$rootfs/lib/systemd/system/trendd.service"
[[ -f $unit ]] || unit="$rootfs/usr/lib/systemd/system/trendd.service"
check "the unit is installed and names /usr/bin/trendd" grep -q '^ExecStart=/usr/bin/trendd ' "$unit"
check "sysusers.d/trendd.conf is installed" test -f "$rootfs/usr/lib/sysusers.d/trendd.conf"
check "the example configuration is installed as /etc/trendd/trendd.toml" \
    cmp -s "$src/examples/trendd.toml" "$rootfs/etc/trendd/trendd.toml"
if chroot "$rootfs" ldd /usr/bin/trendd /usr/bin/trendctl | grep 'not found'; then
    fail "trendd needs libraries the root file system lacks (remove $cache to rebuild it)"
fi
say "installed"

serve_feeds() { # the example feeds, served inside the container on 127.0.0.1:8089
    mkdir -p "$rootfs/srv/feeds"
    cp "$src/examples/feeds/google-trends-rss-new-US-2026-10-01.xml" "$rootfs/srv/feeds/us.xml"
    cp "$src/examples/feeds/google-trends-rss-new-GB-2026-02-02.xml" "$rootfs/srv/feeds/gb.xml"
    cp "$src/examples/feeds/google-trends-rss-new-JP-2026-09-09.xml" "$rootfs/srv/feeds/jp.xml"
    cat >"$rootfs/etc/systemd/system/trendd-test-feeds.service" <<'EOF'
[Unit]
Description=test feeds for trendd (python3 -m http.server on 127.0.0.1:8089)
Before=trendd.service
[Service]
ExecStart=/usr/bin/python3 -m http.server 8089 --bind 127.0.0.1 --directory /srv/feeds
DynamicUser=yes
[Install]
WantedBy=multi-user.target
EOF
    ln -s /etc/systemd/system/trendd-test-feeds.service \
        "$rootfs/etc/systemd/system/multi-user.target.wants/trendd-test-feeds.service"
}
serve_feeds

# The configurations the test switches between (written into the container's /etc/trendd).
feed() { # name geo url interval
    printf '\n[[feed]]\nname = "%s"\ntype = "google-trends-rss"\ngeo = "%s"\nurl = "%s"\ninterval = "%s"\n' "$@"
}
# The container has no network: the news pages the sample feed links to cannot be read, so
# the reading stage is off (failing page fetches would rightly make trendd degraded).
rule='
[[rule]]
name = "big"
min_traffic = 1000
action = "draft"

[enrich]
enabled = false
'
conf_one="$(feed us US http://localhost:8089/us.xml 4s)$rule"
metrics=$'\n[metrics]\nlisten = "127.0.0.1:9464"\n'
conf_two="$(feed us US http://localhost:8089/us.xml 4s)$(feed gb GB http://localhost:8089/gb.xml 4s)$(feed jp JP http://feeds.test:8089/jp.xml 1m)$rule$metrics"
conf_broken_feed="$(feed us US http://localhost:8089/us.xml 4s)$(feed gb GB http://localhost:8089/missing.xml 4s)$(feed jp JP http://feeds.test:8089/jp.xml 1m)$rule"
conf_invalid=$'[daemon]\nno_such_key = 1\n'

put_config() { printf '%s\n' "$1" >"$rootfs/etc/trendd/trendd.toml"; }
put_config "$conf_one"
install_into "$rootfs" "$work/install2.log" || fail "second cmake --install"
check "a second cmake --install keeps an edited /etc/trendd/trendd.toml" \
    grep -q 'localhost:8089/us.xml' "$rootfs/etc/trendd/trendd.toml"

# ---- boot ------------------------------------------------------------------------------------
ctr() { # run a command inside the container, with a clean environment
    timeout 90 nsenter -t "$CPID" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}
boot() { # boot systemd in $rootfs; sets NS (systemd-nspawn) and CPID (the container's PID 1)
    say "booting systemd in $rootfs"
    SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid systemd-nspawn -D "$rootfs" --machine="$machine" --boot \
        --register=no --keep-unit --private-network --system-call-filter=bpf \
        </dev/null >"$work/console.log" 2>&1 &
    NS=$!
    echo "$NS" >"$work/nspawn.pid"
    for _ in $(seq 300); do
        kill -0 "$NS" 2>/dev/null || break
        for p in $(ps -o pid= --ppid "$NS"); do
            [[ $(cat "/proc/$p/comm" 2>/dev/null) == systemd ]] && CPID=$p
        done
        [[ -n $CPID ]] && break
        sleep 0.1
    done
    if [[ -z $CPID ]]; then
        tail -20 "$work/console.log"
        skip "systemd-nspawn could not boot a container here (console: $work/console.log)"
    fi
    local state=""
    for _ in $(seq 120); do
        state=$(ctr systemctl is-system-running --wait 2>&1) || true
        [[ $state == running || $state == degraded ]] && break
        sleep 0.5
    done
    [[ $state == running || $state == degraded ]] || fail "the container's systemd did not finish booting ($state)"
    [[ $state == degraded ]] && ctr systemctl --failed --no-pager
    say "container up ($state); systemd $(ctr systemctl --version | awk 'NR==1 {print $2}')"
}
boot

prop() { ctr systemctl show -P "$2" "$1"; } # prop UNIT PROPERTY
main_pid() { prop trendd MainPID; }
wait_for() { # wait_for SECONDS "what" command...: retry until the command succeeds
    local limit=$1 what=$2
    shift 2
    local end=$((SECONDS + limit))
    until "$@"; do
        ((SECONDS < end)) || fail "$what (waited ${limit}s)"
        sleep 0.5
    done
    say "ok: $what"
}
active_with_new_pid() { # old pid
    local pid
    pid=$(main_pid)
    [[ $(prop trendd ActiveState) == active && $pid != 0 && $pid != "$1" ]]
}
count_observations() { ctr sqlite3 -readonly /var/lib/trendd/trendd.db 'select count(*) from observations'; }
# (No `cmd | grep -q` under pipefail: grep -q may exit first and fail cmd with SIGPIPE.)
status_shows() { grep -E "$1" <<<"$(ctr trendctl status 2>/dev/null)" >/dev/null; }
journal_has() { # journal_has PATTERN [journalctl options]
    local pattern=$1
    shift
    grep -E "$pattern" <<<"$(ctr journalctl -u trendd --no-pager -o cat "$@")" >/dev/null
}
set_config() { # write the container's /etc/trendd/trendd.toml (it is the same file as ours)
    put_config "$1"
}

check "systemd-sysusers created user and group trendd (home /var/lib/trendd)" \
    grep -q ':/var/lib/trendd:' <<<"$(ctr getent passwd trendd)"
check "the test feeds are served" ctr python3 -c \
    'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8089/us.xml").read()'

# ---- an invalid configuration: start fails with 78, no restart loop -------------------------
set_config "$conf_invalid"
if ctr systemctl start trendd 2>/dev/null; then fail "trendd started with an invalid configuration"; fi
sleep 3 # longer than RestartSec=2s: a restart would have happened by now
[[ $(prop trendd ActiveState) == failed && $(prop trendd ExecMainStatus) == 78 &&
    $(prop trendd NRestarts) == 0 ]] ||
    fail "invalid config: expected failed/78/0 restarts, got $(ctr systemctl show -p ActiveState,Result,ExecMainStatus,NRestarts trendd | tr '\n' ' ')"
say "ok: an invalid configuration fails the start with status 78 and is not restarted (RestartPreventExitStatus=78)"
ctr systemctl reset-failed trendd

# ---- start: active only once READY=1 was sent ------------------------------------------------
set_config "$conf_one"
check "systemctl enable trendd" ctr systemctl enable --quiet trendd
check "systemctl start trendd" ctr systemctl start trendd
show=$(ctr systemctl show -p Type,ActiveState,SubState,NotifyAccess,MainPID,StatusText,WatchdogUSec trendd)
echo "$show" | sed 's/^/    /'
grep -qx 'Type=notify' <<<"$show" && grep -qx 'ActiveState=active' <<<"$show" &&
    grep -qx 'SubState=running' <<<"$show" && grep -qx 'NotifyAccess=main' <<<"$show" &&
    grep -qx 'WatchdogUSec=30s' <<<"$show" && grep -q '^StatusText=[0-9]* feeds' <<<"$show" &&
    ! grep -qx 'MainPID=0' <<<"$show" || fail "unexpected state after start"
say "ok: active/running, NotifyAccess=main, STATUS= received"
pid1=$(main_pid)
check "the control socket answers as soon as start returns" ctr trendctl metrics >/dev/null
# No /etc/trendd/openai-api-key: the unit's SetCredential= fallback (a lone newline) stands in.
[[ $(ctr cat /run/credentials/trendd.service/openai-api-key) == "" ]] ||
    fail "the credential openai-api-key should be blank without /etc/trendd/openai-api-key"
say "ok: a missing /etc/trendd/openai-api-key does not stop the unit (blank credential)"

# The sandbox as the kernel sees it.
proc_status=$(ctr cat "/proc/$pid1/status")
grep -q '^CapEff:[[:space:]]*0000000000000000' <<<"$proc_status" &&
    grep -q '^CapBnd:[[:space:]]*0000000000000000' <<<"$proc_status" &&
    grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$proc_status" &&
    grep -q '^Seccomp:[[:space:]]*2' <<<"$proc_status" ||
    fail "sandbox: expected no capabilities, NoNewPrivs and a seccomp filter: $(grep -E 'Cap|NoNew|Seccomp' <<<"$proc_status" | tr '\n' ' ')"
say "ok: running with no capabilities, no_new_privs, seccomp filter"
[[ $(ctr stat -c '%U:%G %a' /var/lib/trendd) == "trendd:trendd 750" &&
    $(ctr stat -c '%U:%G %a' /run/trendd) == "trendd:trendd 750" &&
    $(ctr stat -c '%U:%G %a' /run/trendd/trendd.sock) == "trendd:trendd 660" ]] ||
    fail "directories/socket: $(ctr stat -c '%n %U:%G %a' /var/lib/trendd /run/trendd /run/trendd/trendd.sock | tr '\n' ' ')"
say "ok: /var/lib/trendd and /run/trendd are trendd:trendd 0750, the socket 0660"
score=$(ctr systemd-analyze security trendd --no-pager 2>/dev/null | sed -n 's/.*Overall exposure level for trendd.service: \([0-9.]*\).*/\1/p')
awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 1.5) }' || fail "systemd-analyze security trendd: exposure '$score' > 1.5"
say "ok: systemd-analyze security (live): exposure $score"

wait_for 20 "trendctl status exits 0 and shows feed us polled ok" \
    eval 'ctr trendctl status >"$work/status.txt" && grep -Eq "^ *us +US .* ok " "$work/status.txt"'
sed 's/^/    /' "$work/status.txt" | head -12
drafts_written() { [[ -n $(ctr find /var/lib/trendd/drafts -name '*.md') ]]; }
wait_for 20 "the built-in drafter writes drafts into /var/lib/trendd/drafts" drafts_written

# An analyst holding the database's write lock (as user trendd) while trendd starts must not
# stall it: startup only reads, READY=1 comes, `trendctl status` answers while the lock is
# held, and the writes that queued up land once the lock goes.
check "systemctl stop trendd" ctr systemctl stop trendd
polls_before=$(ctr sqlite3 -readonly /var/lib/trendd/trendd.db 'SELECT count(*) FROM polls')
ctr rm -f /tmp/trendd-test-locked
ctr runuser -u trendd -- python3 -c '
import sqlite3, time
c = sqlite3.connect("/var/lib/trendd/trendd.db", isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("/tmp/trendd-test-locked", "w").close()
time.sleep(8)
c.execute("COMMIT")' &
locker=$!
wait_for 10 "the analyst's transaction holds the write lock" ctr test -e /tmp/trendd-test-locked
ctr systemctl start --no-block trendd
wait_for 3 "active while an analyst holds the write lock" eval '[[ $(prop trendd ActiveState) == active ]]'
# It answers (healthy, or degraded once writes have waited 5 s: both are answers).
ctr trendctl --json status >"$work/lock-status.json" || true
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))["daemon"]; sys.exit(not (d["running"] and d["status"]))' \
    "$work/lock-status.json" || fail "trendctl status got no answer while the write lock was held: $(cat "$work/lock-status.json")"
say "ok: trendctl status answers while the write lock is held"
wait "$locker" || fail "the lock holder failed"
ctr trendctl poll us >/dev/null || true
wait_for 10 "the polls queued behind the lock are recorded" \
    eval '(( $(ctr sqlite3 -readonly /var/lib/trendd/trendd.db "SELECT count(*) FROM polls") > polls_before ))'
say "ok: a held write lock delays trendd's writes, not its start or its answers"
pid1=$(main_pid)

# ---- reload --------------------------------------------------------------------------------
set_config "$conf_two"
check "systemctl reload trendd (feed gb and jp added)" ctr systemctl reload trendd
[[ $(main_pid) == "$pid1" ]] || fail "reload changed the main PID"
wait_for 15 "trendctl status lists the new feed gb (polled ok)" status_shows '^ *gb +GB .* ok '
check "trendctl poll jp: feeds.test resolved by getaddrinfo() inside the sandbox" ctr trendctl poll jp

set_config "$conf_invalid"
if ctr systemctl reload trendd 2>"$work/reload.err"; then fail "systemctl reload accepted an invalid configuration"; fi
[[ $(prop trendd ActiveState) == active && $(main_pid) == "$pid1" ]] || fail "a refused reload disturbed the daemon"
status_shows '^ *gb +GB ' || fail "the refused reload dropped the running configuration"
journal_has "reload refused: /etc/trendd/trendd.toml:2: unknown key 'no_such_key'" -p err ||
    fail "the refused reload is not in the journal at error level"
say "ok: an invalid configuration makes systemctl reload fail; trendd keeps running the old one"
set_config "$conf_two"
check "systemctl reload trendd (valid again)" ctr systemctl reload trendd

# ---- kill -9: systemd restarts it, the data survives; the credential is loaded at start ------
install -m 0600 /dev/null "$rootfs/etc/trendd/openai-api-key"
printf 'sk-test-not-a-key\n' >"$rootfs/etc/trendd/openai-api-key"
ctr trendctl poll >/dev/null || true
before=$(count_observations)
restarts=$(prop trendd NRestarts)
check "kill -9 the main PID ($pid1)" ctr kill -9 "$pid1"
wait_for 20 "systemd restarted trendd (new main PID)" active_with_new_pid "$pid1"
pid2=$(main_pid)
(($(prop trendd NRestarts) >= restarts + 1)) || fail "NRestarts did not grow"
say "ok: NRestarts=$(prop trendd NRestarts), main PID $pid1 -> $pid2"
after=$(count_observations)
((after >= before)) || fail "observations went down from $before to $after"
[[ $(ctr sqlite3 -readonly /var/lib/trendd/trendd.db 'PRAGMA integrity_check') == ok ]] || fail "integrity_check"
say "ok: data intact after kill -9 ($before -> $after observations, integrity_check ok)"
[[ $(ctr cat /run/credentials/trendd.service/openai-api-key) == sk-test-not-a-key ]] ||
    fail "LoadCredential did not pick up /etc/trendd/openai-api-key"
[[ $(ctr stat -c '%U %a' /run/credentials/trendd.service/openai-api-key) == "trendd 400" ]] ||
    fail "credential mode: $(ctr stat -c '%U %a' /run/credentials/trendd.service/openai-api-key)"
say "ok: the credential openai-api-key is loaded (owner trendd, 0400) when the file exists"

# ---- Prometheus over HTTP: [metrics] listen (in conf_two since the reload) took effect at the
# restart above; the sandbox lets trendd bind tcp:9464 and no other port.
scrape() { ctr python3 -c 'import sys, urllib.request as u; sys.stdout.write(u.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"; }
scraped_up() { grep -qx "trendd_up 1" <<<"$(scrape "$1" 2>/dev/null)"; }
wait_for 10 "GET http://127.0.0.1:9464/metrics answers trendd_up 1" scraped_up http://127.0.0.1:9464/metrics
set_config "${conf_two/9464/9465}"
ctr systemctl restart trendd 2>/dev/null || true
bind_refused() { journal_has 'metrics: cannot listen on 127.0.0.1:9465: Operation not permitted'; }
wait_for 15 "trendd on port 9465: refused, or serving where SocketBind= is not enforced" \
    eval 'bind_refused || scrape http://127.0.0.1:9465/metrics >/dev/null 2>&1'
bind_refused && say "ok: binding port 9465 is refused by the sandbox (SocketBindAllow=tcp:9464)" ||
    say "note: this host does not enforce SocketBindDeny= (cgroup BPF): 9465 was not refused"
set_config "$conf_two"
ctr systemctl reset-failed trendd
check "systemctl restart trendd (metrics on 9464 again)" ctr systemctl restart trendd
wait_for 10 "GET /metrics on 9464 again" scraped_up http://127.0.0.1:9464/metrics
say "ok: trendd serves /metrics on 127.0.0.1:9464 and may bind no other port"

# ---- watchdog: a stuck loop is killed and restarted ----------------------------------------
# Shortened by a drop-in so the test does not wait 30 s.
mkdir -p "$rootfs/etc/systemd/system/trendd.service.d"
printf '[Service]\nWatchdogSec=3s\nTimeoutAbortSec=2s\n' >"$rootfs/etc/systemd/system/trendd.service.d/test-watchdog.conf"
ctr systemctl daemon-reload
ctr systemctl restart trendd
pid3=$(main_pid)
restarts=$(prop trendd NRestarts)
ctr kill -STOP "$pid3"
wait_for 20 "a stopped (SIGSTOP) trendd is restarted by the watchdog" active_with_new_pid "$pid3"
journal_has 'Watchdog timeout' || fail "no 'Watchdog timeout' in the journal"
(($(prop trendd NRestarts) > restarts)) || fail "NRestarts did not grow after the watchdog"
rm -rf "$rootfs/etc/systemd/system/trendd.service.d"
ctr systemctl daemon-reload

# ---- a broken feed is logged at error level ------------------------------------------------
set_config "$conf_broken_feed"
check "systemctl reload trendd (gb now 404)" ctr systemctl reload trendd
if ctr trendctl poll gb >"$work/poll.txt"; then fail "trendctl poll gb succeeded on a 404"; fi
wait_for 10 "journalctl -u trendd -p err shows the failing feed gb" journal_has 'gb: http_error: HTTP 404' -p err
rc=0
ctr trendctl status >/dev/null || rc=$?
((rc == 1)) || fail "trendctl status should exit 1 (degraded) with a failing feed, exited $rc"
say "ok: trendctl status exits 1 (degraded)"

# ---- group trendd may read the database and use the socket; others may not ------------------
ctr useradd --no-create-home -G trendd analyst
ctr useradd --no-create-home outsider
ctr trendctl poll >/dev/null 2>&1 & # trendd writes while the analyst reads
poller=$!
n=$(ctr runuser -u analyst -- sqlite3 -readonly /var/lib/trendd/trendd.db 'select count(*) from observations') ||
    fail "analyst (group trendd) cannot read the database"
wait "$poller" || true
[[ $n =~ ^[0-9]+$ && $n -gt 0 ]] || fail "analyst read '$n'"
say "ok: analyst (group trendd) reads the database read-only while trendd writes ($n observations)"
if ctr runuser -u outsider -- sqlite3 -readonly /var/lib/trendd/trendd.db 'select count(*) from observations' 2>/dev/null; then
    fail "outsider (not in group trendd) can read the database"
fi
say "ok: outsider (not in group trendd) cannot read the database"
draft=$(ctr find /var/lib/trendd/drafts -name '*.md' -print -quit)
[[ $(ctr stat -c '%U:%G %a' "$draft") == "trendd:trendd 640" ]] || fail "draft mode: $(ctr stat -c '%U:%G %a' "$draft")"
ctr runuser -u analyst -- head -1 "$draft" >/dev/null || fail "analyst cannot read $draft"
if ctr runuser -u outsider -- head -1 "$draft" 2>/dev/null; then fail "outsider can read $draft"; fi
say "ok: drafts are trendd:trendd 0640: analyst reads them, outsider does not"
# Backups while trendd runs (docs/operations.md): root, and an analyst with -readonly.
ctr sqlite3 /var/lib/trendd/trendd.db ".backup /root/trendd-backup.db" || fail "root: .backup"
ctr runuser -u analyst -- sqlite3 -readonly /var/lib/trendd/trendd.db ".backup /tmp/analyst-backup.db" ||
    fail "analyst: .backup"
for b in /root/trendd-backup.db /tmp/analyst-backup.db; do
    [[ $(ctr sqlite3 -readonly "$b" 'PRAGMA integrity_check') == ok ]] || fail "backup $b: integrity_check"
done
[[ $(ctr stat -c %U /var/lib/trendd/trendd.db-wal) == trendd ]] || fail "the root backup left a -wal trendd cannot write"
say "ok: .backup of the live database (root, and analyst with -readonly): integrity_check ok"
rc=0
ctr runuser -u analyst -- trendctl status >"$work/analyst-status.txt" 2>&1 || rc=$?
((rc == 0 || rc == 1)) && grep -q 'pid' "$work/analyst-status.txt" || fail "analyst: trendctl status exited $rc"
say "ok: analyst reaches the control socket (trendctl status exit $rc)"
rc=0
ctr runuser -u outsider -- trendctl status >"$work/outsider-status.txt" 2>&1 || rc=$?
# (trendctl exits 1 here, the code of "degraded": it reports the unreadable database.)
((rc != 0)) && ! grep -q 'pid' "$work/outsider-status.txt" && grep -q 'Permission denied' "$work/outsider-status.txt" ||
    fail "outsider: trendctl status exited $rc: $(cat "$work/outsider-status.txt")"
say "ok: outsider can neither reach the control socket nor read the database (trendctl status exit $rc)"

# ---- a database from a newer trendd: refused with 65, and systemd does not restart it ----------
check "systemctl stop trendd" ctr systemctl stop trendd
version=$(ctr sqlite3 -readonly /var/lib/trendd/trendd.db 'PRAGMA user_version')
ctr runuser -u trendd -- sqlite3 /var/lib/trendd/trendd.db 'PRAGMA user_version = 999'
if ctr systemctl start trendd 2>/dev/null; then fail "trendd started on a database of schema 999"; fi
journal_has 'schema version 999 is newer than this trendd knows' -p err || fail "no error about the newer schema"
restarts=$(prop trendd NRestarts)
wait_for 30 "the newer schema fails the unit with status 65" \
    eval '[[ $(prop trendd ActiveState) == failed && $(prop trendd ExecMainStatus) == 65 ]]'
sleep 3
(($(prop trendd NRestarts) == restarts)) || fail "a newer schema was restarted (RestartPreventExitStatus=65)"
ctr runuser -u trendd -- sqlite3 /var/lib/trendd/trendd.db "PRAGMA user_version = $version"
ctr systemctl reset-failed trendd
check "after reset-failed, trendd starts again" ctr systemctl start trendd

# ---- clean stop ------------------------------------------------------------------------------
start=$SECONDS
check "systemctl stop trendd" ctr systemctl stop trendd
((SECONDS - start < 10)) || fail "stop took $((SECONDS - start)) s"
[[ $(prop trendd Result) == success && $(prop trendd ExecMainStatus) == 0 ]] ||
    fail "stop: $(ctr systemctl show -p Result,ExecMainCode,ExecMainStatus trendd | tr '\n' ' ')"
ctr test ! -e /run/trendd || fail "/run/trendd is left after stop"
say "ok: clean stop (status 0, RuntimeDirectory removed)"

# ---- the Debian package, in a fresh container: install, run, remove, purge -------------------
if [[ -n $deb ]]; then
    poweroff
    fresh_rootfs
    serve_feeds
    cp "$deb" "$rootfs/root/"
    boot
    pkg="/root/${deb##*/}"
    apt_get() { # apt_get LOG args...: apt-get inside the container (no network there)
        ctr env DEBIAN_FRONTEND=noninteractive apt-get -y "${@:2}" >"$work/$1" 2>&1 ||
            { cat "$work/$1"; return 1; }
    }
    # Offline: every dependency is already installed, so apt fetches nothing but the file.
    # (apt-get --no-download fails on a local .deb: "Pathname to install is not absolute".)
    check "apt-get install ./${deb##*/} (offline: every dependency is installed)" \
        apt_get apt-install.log install "$pkg"
    wait_for 20 "the package's postinst started trendd" eval '[[ $(prop trendd ActiveState) == active ]]'
    [[ $(ctr systemctl is-enabled trendd) == enabled ]] || fail "trendd.service is not enabled after install"
    check "systemd-sysusers (postinst) created the user trendd" ctr getent passwd trendd
    grep -qx /etc/trendd/trendd.toml <<<"$(ctr dpkg-query -W -f='${Conffiles}\n' trendd | awk 'NF {print $1}')" ||
        fail "/etc/trendd/trendd.toml is not a conffile of the package"
    cmp -s "$src/examples/trendd.toml" "$rootfs/etc/trendd/trendd.toml" ||
        fail "/etc/trendd/trendd.toml is not the example configuration"
    say "ok: enabled and active; /etc/trendd/trendd.toml is the example configuration, a conffile"
    for f in /usr/share/man/man8/trendd.8.gz /usr/share/man/man1/trendctl.1.gz \
        /usr/share/man/man5/trendd.toml.5.gz /usr/share/zsh/vendor-completions/_trendctl; do
        ctr test -f "$f" || fail "$f is not installed"
    done
    [[ $(ctr bash -c 'source /usr/share/bash-completion/completions/trendctl && complete -p trendctl') == \
        "complete -F _trendctl trendctl" ]] || fail "the bash completion does not register for trendctl"
    say "ok: man pages and completions installed"

    # The example polls Google, out of reach here: point it at the local feeds, as an operator
    # edits the conffile, and reload.
    set_config "$conf_one"
    check "systemctl reload trendd (local feed)" ctr systemctl reload trendd
    wait_for 20 "trendctl status exits 0 (healthy, feed us polled ok)" \
        eval 'ctr trendctl status >"$work/status.txt" && grep -Eq "^ *us +US .* ok " "$work/status.txt"'

    # Metrics for node_exporter's textfile collector, as docs/operations.md sets them up.
    ctr mkdir -p /var/lib/prometheus/node-exporter
    ctr cp /usr/share/doc/trendd/examples/trendd-metrics.service \
        /usr/share/doc/trendd/examples/trendd-metrics.timer /etc/systemd/system/
    ctr systemctl daemon-reload
    check "systemctl enable --now trendd-metrics.timer" ctr systemctl enable --quiet --now trendd-metrics.timer
    prom="$rootfs/var/lib/prometheus/node-exporter/trendd.prom"
    wait_for 15 "the timer writes trendd.prom with trendd_up 1" \
        eval 'grep -qx "trendd_up 1" "$prom" 2>/dev/null && grep -q "^trendd_polls_total{feed=\"us\"" "$prom"'

    pid=$(main_pid)
    check "apt-get remove trendd" apt_get apt-remove.log remove trendd
    [[ $(prop trendd ActiveState) != active ]] && ! ctr kill -0 "$pid" 2>/dev/null ||
        fail "trendd still runs after apt-get remove"
    ctr test ! -e /usr/bin/trendd || fail "/usr/bin/trendd is left after remove"
    grep -q 'localhost:8089/us.xml' "$rootfs/etc/trendd/trendd.toml" ||
        fail "remove did not keep the edited /etc/trendd/trendd.toml"
    ctr test -s /var/lib/trendd/trendd.db || fail "remove did not keep /var/lib/trendd/trendd.db"
    [[ $(ctr dpkg-query -W -f='${db:Status-Status}' trendd) == config-files ]] ||
        fail "after remove the package should be in state config-files"
    say "ok: apt-get remove stopped trendd and kept the configuration and the database"
    ctr systemctl start trendd-metrics.service
    grep -qx "trendd_up 0" "$prom" || fail "with trendd removed, the metrics timer should write trendd_up 0"
    say "ok: the metrics timer reports trendd_up 0 when the daemon is gone"

    check "apt-get purge trendd" apt_get apt-purge.log purge trendd
    ctr test ! -e /etc/trendd || fail "purge left /etc/trendd: $(ctr ls -la /etc/trendd)"
    ctr test ! -e /var/lib/trendd || fail "purge left /var/lib/trendd"
    if ctr dpkg-query -W -f='${db:Status-Status}' trendd 2>/dev/null | grep -qv '^not-installed$'; then
        fail "after purge dpkg still knows trendd: $(ctr dpkg-query -W -f='${db:Status-Status}' trendd)"
    fi
    ctr getent passwd trendd >/dev/null || fail "purge should leave the system user trendd (docs/operations.md)"
    say "ok: apt-get purge removed /etc/trendd and /var/lib/trendd; the user trendd stays"
fi

failed=0
say "PASS: trendd under systemd (MemoryMax=/CPUQuota=/TasksMax= are not enforced in these containers and not asserted)"
