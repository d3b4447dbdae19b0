#!/usr/bin/env bash
# Prepares what garage-guard needs to build, test and run its demo. Idempotent: run it every time.
#  - On Debian 13+ / Raspberry Pi OS trixie (the packages exist natively): apt-get install the list.
#  - Elsewhere (e.g. Debian 12 hosts): build a Debian 13 root with mmdebstrap under .cache/debian13 of the checkout,
#    reading the mirror from this host's apt configuration; rebuilt only when the package list changes.
# Never adds trixie to the host's apt sources: the host's libc and toolchain stay as they are.
#   deploy/setup.sh [--package-root]
#   --package-root  also make .cache/debian13-clean: a clean Debian 13 (minbase, systemd, udev and the .deb's runtime
#                   dependencies, nothing of ours) that tests/deploy/package-test.sh installs the .deb into; rebuilt
#                   only when that package list changes (deploy/test.sh asks for it)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
deps_file="$here/dependencies.txt"
suite=trixie
root="${GARAGE_ROOT:-$top/.cache/debian13}"
if [ -z "${GARAGE_ROOT:-}" ] && [ ! -d "$root" ]; then
  # a git worktree of the checkout shares the main checkout's root, as deploy/env.sh finds it
  common=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [ -n "$common" ] && [ -d "$(dirname "$common")/.cache/debian13" ] && root="$(dirname "$common")/.cache/debian13"
fi
package_root="${GARAGE_PACKAGE_ROOT:-$top/.cache/debian13-clean}"
with_package_root=0
[ "${1:-}" = --package-root ] && with_package_root=1

log() { printf 'setup: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# packages whose roles include any of the given roles (default: what a developer and CI need)
packages() {
  local roles="${1:-build|test}"
  awk -v re="(^|,)(${roles})(,|$)" '!/^[[:space:]]*(#|$)/ && $2 ~ re { print $1 }' "$deps_file"
}

host_has_native_packages() {
  # The native path needs the Qt 6 build of QXmpp, which Debian only ships from trixie on.
  apt-cache policy libqxmppqt6-dev 2>/dev/null | grep -q 'Candidate: [0-9]'
}

# The first "deb" source of the host that carries its main suite: its URI is the Debian mirror this host uses.
host_mirror() {
  local codename
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -r "$f" ] || continue
      awk -v c="$codename" '
        BEGIN { RS=""; FS="\n" }
        {
          uri=""; suites=""; types=""
          for (i = 1; i <= NF; i++) {
            if ($i ~ /^URIs:/)   { sub(/^URIs:[[:space:]]*/, "", $i); split($i, u, /[[:space:]]+/); uri=u[1] }
            if ($i ~ /^Suites:/) { suites=" " $i " " }
            if ($i ~ /^Types:/)  { types=$i }
          }
          if (types ~ /deb([[:space:]]|$)/ && suites ~ (" " c " ") && uri != "") print uri
        }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -r "$f" ] || continue
      awk -v c="$codename" '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == c) print $i }' "$f"
    done
  } | head -n 1
}

stamp_value() {
  # what the root was made from: the packages installed in it and the suite (runtime-only lines do not count)
  { packages; echo "$suite"; } | sha256sum | cut -d' ' -f1
}

root_is_valid() {
  [ -f "$root/.garage-stamp" ] && [ "$(cat "$root/.garage-stamp")" = "$(stamp_value)" ] \
    && [ -x "$root/usr/bin/cmake" ] && [ -x "$root/usr/bin/prosody" ]
}

native_setup() {
  local missing=()
  for p in $(packages); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "native packages present"; return; fi
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_tools() {
  local tools=()
  command -v mmdebstrap >/dev/null || tools+=(mmdebstrap)
  command -v bwrap >/dev/null || tools+=(bubblewrap)
  if [ ${#tools[@]} -gt 0 ]; then
    log "installing ${tools[*]} from the host's own distribution"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tools[@]}"
  fi
}

# make_root DIR VARIANT PACKAGE... : a Debian 13 tree from the host's mirror, built in DIR.tmp and moved into place
make_root() {
  local dir=$1 variant=$2
  shift 2
  local mirror
  mirror=$(host_mirror)
  [ -n "$mirror" ] || { log "cannot find a Debian mirror in this host's apt sources"; exit 1; }
  # an mmdebstrap that was interrupted can leave /proc, /sys or /dev mounted inside its tree: unmount before removing
  local d m
  for d in "$dir" "$dir.tmp"; do
    [ -d "$d" ] || continue
    awk -v p="$d/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
      as_root umount -l "$m" 2>/dev/null || true
    done
  done
  rm -rf "$dir" "$dir.tmp"
  mkdir -p "$(dirname "$dir")"
  local mode=root
  [ "$(id -u)" -eq 0 ] || mode=unshare
  mmdebstrap --quiet --mode="$mode" --variant="$variant" --include="$(printf '%s\n' "$@" | paste -sd, -)" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$suite" "$dir.tmp" "$mirror"
}

root_setup() {
  if root_is_valid; then log "Debian 13 root is up to date: $root"; return; fi
  ensure_tools
  log "building the Debian 13 root in $root from the host's mirror (about a minute, ~2 GB)"
  # shellcheck disable=SC2046 # one package name per word
  make_root "$root" apt $(packages)
  stamp_value > "$root.tmp/.garage-stamp"
  mv "$root.tmp" "$root"
  log "root ready: $root"
}

# What a plain Debian 13 machine has before the owner installs the .deb: the minimal base, systemd and udev, the
# .deb's dependencies (so that apt installs it there offline, inside the tests' private network), and libcamera-v4l2
# (libcamerify, which the Pi camera drop-in runs).
package_root_packages() { { echo systemd; echo udev; echo libcamera-v4l2; packages runtime; } | sort -u; }

package_root_setup() {
  local stamp
  stamp=$({ package_root_packages; echo "$suite minbase"; } | sha256sum | cut -d' ' -f1)
  if [ -f "$package_root/.garage-stamp" ] && [ "$(cat "$package_root/.garage-stamp")" = "$stamp" ]; then
    log "clean Debian 13 root for the package test is up to date: $package_root"
    return
  fi
  ensure_tools
  log "building the clean Debian 13 root for the package test in $package_root (minbase and runtime dependencies)"
  # shellcheck disable=SC2046
  make_root "$package_root" minbase $(package_root_packages)
  echo "$stamp" > "$package_root.tmp/.garage-stamp"
  mv "$package_root.tmp" "$package_root"
  log "clean root ready: $package_root"
}

if host_has_native_packages; then native_setup; else root_setup; fi
if [ "$with_package_root" -eq 1 ]; then package_root_setup; fi
