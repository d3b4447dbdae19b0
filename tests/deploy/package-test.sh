#!/usr/bin/env bash
# Builds the .deb from a build directory and checks what a Pi owner gets: the daemon, the unit, the configuration
# (0640, a conffile), the dependencies; then prints the unit's systemd exposure score.
#   package-test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
deb=$(ls "$out"/garage-guard_*.deb)
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"
listing=$(dpkg-deb -c "$deb")
fail() { echo "FAIL: $*"; exit 1; }
grep -qE '^-rwxr-xr-x .* \./usr/bin/garage-guard$' <<<"$listing" || fail "no /usr/bin/garage-guard"
grep -qE ' \./usr/bin/garage-guard-motion$' <<<"$listing" || fail "no /usr/bin/garage-guard-motion"
grep -qE ' \./usr/lib/systemd/system/garage-guard.service$' <<<"$listing" || fail "no systemd unit"
grep -qE '^-rw-r----- .* \./etc/garage-guard/garage-guard.conf$' <<<"$listing" || fail "config not installed 0640"
info=$(dpkg-deb -I "$deb")
grep -q 'Depends:.*libqxmppqt6-5' <<<"$info" || fail "Depends lacks libqxmppqt6-5"
grep -q 'Depends:.*libqt6multimedia6' <<<"$info" || fail "Depends lacks libqt6multimedia6"
# each listing is read whole before it is searched: a `| grep -q` that exits at the first match can kill the writer
# with SIGPIPE, and under pipefail that failed the check at random
control=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
grep -qE '(^|/)conffiles$' <<<"$control" || fail "no conffiles"
grep -qx '/etc/garage-guard/garage-guard.conf' <<<"$conffiles" || fail "config is not a conffile"
grep -qE '(^|/)postinst$' <<<"$control" || fail "no postinst"
echo "contents, dependencies and conffiles: OK"
grep '^ Depends:' <<<"$info"
if command -v systemd-analyze >/dev/null; then
  score=$(systemd-analyze security --offline=true --no-pager "$src/deploy/garage-guard.service" 2>/dev/null \
            | sed -n 's/.*Overall exposure level for garage-guard.service: \([0-9.]*\).*/\1/p')
  echo "systemd-analyze security --offline=true: overall exposure ${score:-unknown} (goal <= 3.0)"
  if ! systemd-analyze verify --man=false "$src/deploy/garage-guard.service" >/dev/null 2>"$out/verify.log"; then
    grep -v -e 'No such file' -e 'not executable' -e 'Failed to create' -e 'is not a valid' "$out/verify.log" || true
  fi
fi
echo "package test: OK"
