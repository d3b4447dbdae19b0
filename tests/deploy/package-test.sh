#!/usr/bin/env bash
# Builds the .deb from a build directory and checks what a Pi owner gets: the daemon, the unit, the udev rule, the
# drop-in helper, the configuration (0640, a conffile), the dependencies. Then installs it with apt into a copy of a
# clean Debian 13 root (deploy/setup.sh --package-root makes it: minbase, systemd, udev and the runtime dependencies)
# and checks there that the unit's User, Group and SupplementaryGroups resolve, that the udev rule and the unit pass
# `udevadm verify` and `systemd-analyze verify` (plain, with the Pi camera drop-in, with a storage dir drop-in written
# by `garage-guard-setup storage-dir`), and that the `systemd-analyze security` exposure of each is at most 2.0.
#   package-test.sh BUILD_DIR SOURCE_DIR
# The clean root is GARAGE_PACKAGE_ROOT or SOURCE_DIR/.cache/debian13-clean; without it the test is skipped, unless
# GARAGE_REQUIRE_PACKAGE_ROOT=1 (deploy/test.sh) makes that a failure. That part needs root (chroot, mounts).
set -euo pipefail
build=$1 src=$2
if [ "$(id -u)" -eq 0 ] && [ "${GARAGE_PACKAGE_TEST_NS:-}" != 2 ]; then
  # a private mount namespace: the overlay and the /dev and /proc mounts of the clean root vanish with this process
  exec env GARAGE_PACKAGE_TEST_NS=2 unshare --mount --propagation private "$0" "$@"
fi

max_exposure=2.0
started=$(date +%s%N)
out=$(mktemp -d)
trap 'umount -R "$out/root" 2>/dev/null || true; rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }

# ---- the .deb itself -----------------------------------------------------------------------------------------------
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
deb=$(ls "$out"/garage-guard_*.deb)
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes), built in $(elapsed)"
# each listing is read whole before it is searched: a `| grep -q` that exits at the first match can kill the writer
# with SIGPIPE, and under pipefail that failed the check at random
listing=$(dpkg-deb -c "$deb")
grep -qE '^-rwxr-xr-x .* \./usr/bin/garage-guard$' <<<"$listing" || fail "no /usr/bin/garage-guard"
grep -qE ' \./usr/bin/garage-guard-motion$' <<<"$listing" || fail "no /usr/bin/garage-guard-motion"
grep -qE '^-rwxr-xr-x .* \./usr/sbin/garage-guard-setup$' <<<"$listing" || fail "no /usr/sbin/garage-guard-setup"
grep -qE ' \./usr/lib/systemd/system/garage-guard.service$' <<<"$listing" || fail "no systemd unit"
grep -qE ' \./usr/lib/udev/rules.d/60-garage-guard-gpio.rules$' <<<"$listing" || fail "no udev rule for gpiochip"
grep -qE ' \./usr/share/garage-guard/systemd/pi-camera.conf$' <<<"$listing" || fail "no Pi camera drop-in"
grep -qE '^-rw-r----- .* \./etc/garage-guard/garage-guard.conf$' <<<"$listing" || fail "config not installed 0640"
info=$(dpkg-deb -I "$deb")
grep -q 'Depends:.*libqxmppqt6-5' <<<"$info" || fail "Depends lacks libqxmppqt6-5"
grep -q 'Depends:.*libqt6multimedia6' <<<"$info" || fail "Depends lacks libqt6multimedia6"
grep -qE 'Depends:.*\badduser\b' <<<"$info" || fail "Depends lacks adduser (the postinst runs adduser and addgroup)"
control=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
grep -qE '(^|/)conffiles$' <<<"$control" || fail "no conffiles"
grep -qx '/etc/garage-guard/garage-guard.conf' <<<"$conffiles" || fail "config is not a conffile"
grep -qE '(^|/)postinst$' <<<"$control" || fail "no postinst"
echo "contents, dependencies and conffiles: OK"
grep '^ Depends:' <<<"$info"

# ---- installed into a clean Debian 13 ------------------------------------------------------------------------------
clean=${GARAGE_PACKAGE_ROOT:-$src/.cache/debian13-clean}
skip() {
  [ "${GARAGE_REQUIRE_PACKAGE_ROOT:-0}" = 1 ] && fail "$*"
  echo "package test: SKIPPED the install into a clean Debian 13: $*"
  exit 0
}
[ -f "$clean/.garage-stamp" ] || skip "no root at $clean (deploy/setup.sh --package-root makes it)"
[ "$(id -u)" -eq 0 ] || skip "chroot and mount need root (deploy/env.sh runs the tests as root in the Debian 13 root)"
# a writable copy of the clean root that costs nothing: an overlay, or a copy where overlays are not allowed
root=$out/root
mkdir -p "$root" "$out/upper" "$out/work"
if mount -t overlay overlay -o "lowerdir=$clean,upperdir=$out/upper,workdir=$out/work" "$root" 2>/dev/null; then
  how=overlay
else
  cp -a --reflink=auto "$clean/." "$root/"
  how=copy
fi
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
echo "clean Debian 13 root: $clean ($how, ready after $(elapsed))"

cp "$deb" "$root/tmp/"
# apt as an owner runs it (README): offline, the dependencies are already there
if ! in_root apt-get install -y -q -o Dpkg::Use-Pty=0 "/tmp/$(basename "$deb")" >"$out/apt.log" 2>&1; then
  cat "$out/apt.log"
  fail "apt-get install of the .deb into a clean Debian 13 failed"
fi
sed -n 's/^\(garage-guard: created .*\)/  postinst: \1/p' "$out/apt.log"
echo "installed with apt-get in $(elapsed)"
# an upgrade runs the postinst again: the group, the user and the memberships exist by then
in_root dpkg -i "/tmp/$(basename "$deb")" >"$out/reinstall.log" 2>&1 || { cat "$out/reinstall.log"; fail "reinstall"; }
# the dependencies the .deb declares are all the daemon needs to start
version=$(in_root garage-guard --version) || fail "garage-guard does not start in the clean root"
echo "in the clean root: $version"

unit=$root/usr/lib/systemd/system/garage-guard.service
value() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
user=$(value User) group=$(value Group) supplementary=$(value SupplementaryGroups)
[ -n "$user" ] && [ -n "$group" ] && [ -n "$supplementary" ] || fail "the unit lacks User, Group or SupplementaryGroups"
in_root getent passwd "$user" >/dev/null || fail "User=$user does not resolve"
in_root getent group "$group" >/dev/null || fail "Group=$group does not resolve"
member_of=$(in_root id -nG "$user")
for g in $supplementary; do
  entry=$(in_root getent group "$g") || fail "SupplementaryGroups: group $g does not resolve (systemd: 216/GROUP)"
  [ "$(cut -d: -f3 <<<"$entry")" -lt 1000 ] || fail "group $g is not a system group: $entry"
  grep -qw -- "$g" <<<"$member_of" || fail "$user is not in group $g (its groups: $member_of)"
done
echo "User=$user Group=$group SupplementaryGroups=$supplementary resolve; $user is in: $member_of"

rule=/usr/lib/udev/rules.d/60-garage-guard-gpio.rules
in_root udevadm verify --no-summary "$rule" || fail "udevadm verify: $rule"
grep -qE '^SUBSYSTEM=="gpio", KERNEL=="gpiochip\[0-9\]\*", GROUP="gpio", MODE="0660"$' "$root$rule" \
  || fail "the udev rule does not give /dev/gpiochip* to group gpio, mode 0660"
echo "udev rule: /dev/gpiochip* to group gpio, mode 0660 (udevadm verify: OK)"

# verify and score the unit as installed, with the drop-ins under /etc/systemd/system/garage-guard.service.d/
check_unit() {
  local label=$1 verify_log=$out/verify.log score
  if ! in_root systemd-analyze verify --man=false garage-guard.service >"$verify_log" 2>&1; then
    cat "$verify_log"
    fail "systemd-analyze verify ($label)"
  fi
  score=$(in_root systemd-analyze security --offline=true --no-pager garage-guard.service 2>/dev/null \
            | sed -n 's/.*Overall exposure level for garage-guard.service: \([0-9.]*\).*/\1/p')
  [ -n "$score" ] || fail "no systemd-analyze security score ($label)"
  echo "$label: systemd-analyze verify OK; systemd-analyze security --offline=true: overall exposure $score (goal <= $max_exposure)"
  awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s <= m) }' || fail "exposure $score above $max_exposure ($label)"
}
check_unit "the unit as shipped"

dropins=/etc/systemd/system/garage-guard.service.d
in_root garage-guard-setup pi-camera >/dev/null
compat=$(sed -n 's/^Environment=LD_PRELOAD=//p' "$root$dropins/pi-camera.conf")
[ -n "$compat" ] && [ -f "$root$compat" ] || fail "the Pi camera drop-in preloads no v4l2-compat.so that exists: '$compat'"
# what the drop-in makes systemd run starts: libcamera's V4L2 layer loads into the daemon
in_root env LD_PRELOAD="$compat" garage-guard --version >/dev/null || fail "garage-guard does not start with $compat"
check_unit "with the Pi camera drop-in (garage-guard-setup pi-camera)"
effective=$(in_root systemd-analyze security --offline=true --no-pager garage-guard.service 2>/dev/null)
for dev in char-media char-dma_heap char-video4linux char-gpiochip; do
  grep -q -- "$dev:rw" <<<"$effective" || fail "the Pi camera drop-in does not allow $dev (DeviceAllow)"
done
in_root garage-guard-setup pi-camera off >/dev/null
[ ! -e "$root$dropins/pi-camera.conf" ] || fail "garage-guard-setup pi-camera off left the drop-in"

# a storage dir outside the state directory, as the README tells: set it in the config, then the command
sed -i 's|^dir = /var/lib/garage-guard$|dir = /srv/garage-guard|' "$root/etc/garage-guard/garage-guard.conf"
in_root garage-guard-setup storage-dir >"$out/setup.log" || { cat "$out/setup.log"; fail "garage-guard-setup storage-dir"; }
grep -qx 'ReadWritePaths=-/srv/garage-guard' "$root$dropins/storage-dir.conf" \
  || fail "storage-dir wrote no ReadWritePaths=-/srv/garage-guard"
owner=$(in_root stat -c '%U:%G %a' /srv/garage-guard)
[ "$owner" = "garage-guard:garage-guard 750" ] || fail "the storage dir is not garage-guard's, 0750: $owner"
in_root garage-guard-setup storage-dir /home/me/pictures >/dev/null 2>&1 && fail "a storage dir under /home was accepted"
in_root garage-guard-setup storage-dir '/srv/my pictures' >/dev/null 2>&1 && fail "a path with a space was accepted"
check_unit "with the storage dir drop-in (garage-guard-setup storage-dir: /srv/garage-guard)"
echo "clean-root checks took $(elapsed) in all"
echo "package test: OK"
