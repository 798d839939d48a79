#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/integration/systemd_analyze.sh BUILD_DIR [CMAKE]: CTest it.systemd_analyze.
# Stages `cmake --install BUILD_DIR --prefix /usr` into a temporary directory, then checks the
# trendd.service it produced, exactly as shipped:
#   1. `systemd-analyze verify` reports nothing (syntax, unknown keys, the ExecStart=/ExecReload=
#      binaries exist in the staged tree);
#   2. `systemd-analyze security --offline=yes` rates the overall exposure at most 1.5
#      (design.md section 7; TRENDD_MAX_EXPOSURE overrides).
# Exit 0 pass, 1 fail, 125 skip (no systemd-analyze).
set -euo pipefail
build="${1:?usage: systemd_analyze.sh BUILD_DIR [CMAKE]}"
cmake="${2:-cmake}"
max="${TRENDD_MAX_EXPOSURE:-1.5}"

if ! command -v systemd-analyze >/dev/null; then
    echo "SKIP: systemd-analyze not found (Debian package systemd); cannot check trendd.service"
    exit 125
fi
echo "$(systemd-analyze --version | head -1)"

# `cmake --install` rewrites BUILD_DIR/install_manifest.txt, which lists what a real install
# put on this machine (docs/operations.md uses it to uninstall): keep it as it was.
install_into() { # install_into DESTDIR LOG
    local manifest="$build/install_manifest.txt" saved="" rc=0
    if [[ -f $manifest ]]; then saved="$stage/install_manifest.saved"; cp -p "$manifest" "$saved"; fi
    DESTDIR="$1" "$cmake" --install "$build" --prefix /usr >"$2" 2>&1 || rc=$?
    if [[ -n $saved ]]; then mv -f "$saved" "$manifest"; else rm -f "$manifest"; fi
    return "$rc"
}
stage="$(mktemp -d "${TMPDIR:-/tmp}/trendd-analyze.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
if ! install_into "$stage/root" "$stage/install.log"; then
    cat "$stage/install.log"
    echo "FAIL: cmake --install $build"
    exit 1
fi
unit="$(find "$stage/root" -name trendd.service -path '*/systemd/system/*' | head -1)"
[[ -n $unit ]] || { echo "FAIL: the install produced no trendd.service"; exit 1; }
echo "unit: ${unit#"$stage/root"}"

# verify resolves the unit's binaries: point them at the staged tree. No man page trendd(8)
# exists yet, hence --man=no.
mkdir "$stage/check"
sed "s|=/usr/bin/|=$stage/root/usr/bin/|g" "$unit" >"$stage/check/trendd.service"
rc=0
systemd-analyze verify --man=no "$stage/check/trendd.service" >"$stage/verify.log" 2>&1 || rc=$?
if ((rc != 0)) || [[ -s $stage/verify.log ]]; then
    sed "s|$stage/check/||g" "$stage/verify.log"
    echo "FAIL: systemd-analyze verify trendd.service (exit $rc; it must print nothing)"
    exit 1
fi
echo "ok: systemd-analyze verify: no complaints"

systemd-analyze security --offline=yes --no-pager "$unit" >"$stage/security.log" 2>&1 || true
score="$(sed -n 's/.*Overall exposure level for trendd\.service: \([0-9][0-9.]*\).*/\1/p' "$stage/security.log")"
if [[ -z $score ]]; then
    cat "$stage/security.log"
    echo "FAIL: no overall exposure level in the output of systemd-analyze security"
    exit 1
fi
# What is still exposed (the relaxations commented in the unit).
grep '✗' "$stage/security.log" | sed 's/  */ /g; s/^/  /' || true
if awk -v s="$score" -v m="$max" 'BEGIN { exit !(s + 0 > m + 0) }'; then
    echo "FAIL: systemd-analyze security --offline=yes: overall exposure $score > $max"
    exit 1
fi
echo "ok: systemd-analyze security --offline=yes: overall exposure $score (<= $max)"
