#!/usr/bin/env bash
# Prepares what garage-guard needs to build, test and run its demo. Idempotent: run it every time.
#  - On Debian 13+ / Raspberry Pi OS trixie (the packages exist natively): apt-get install the list.
#  - Elsewhere (e.g. Debian 12 hosts): build a Debian 13 root with mmdebstrap under .cache/debian13 of the checkout,
#    reading the mirror from this host's apt configuration; rebuilt only when the package list changes.
# Never adds trixie to the host's apt sources: the host's libc and toolchain stay as they are.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
deps_file="$here/dependencies.txt"
suite=trixie
root="${GARAGE_ROOT:-$top/.cache/debian13}"

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

root_setup() {
  if root_is_valid; then log "Debian 13 root is up to date: $root"; return; fi
  local tools=()
  command -v mmdebstrap >/dev/null || tools+=(mmdebstrap)
  command -v bwrap >/dev/null || tools+=(bubblewrap)
  if [ ${#tools[@]} -gt 0 ]; then
    log "installing ${tools[*]} from the host's own distribution"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tools[@]}"
  fi
  local mirror
  mirror=$(host_mirror)
  [ -n "$mirror" ] || { log "cannot find a Debian mirror in this host's apt sources"; exit 1; }
  log "building the Debian 13 root in $root from the host's mirror (about a minute, ~2 GB)"
  # an mmdebstrap that was interrupted can leave /proc, /sys or /dev mounted inside its tree: unmount before removing
  local d m
  for d in "$root" "$root.tmp"; do
    [ -d "$d" ] || continue
    awk -v p="$d/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
      as_root umount -l "$m" 2>/dev/null || true
    done
  done
  rm -rf "$root" "$root.tmp"
  mkdir -p "$(dirname "$root")"
  local mode=root
  [ "$(id -u)" -eq 0 ] || mode=unshare
  local include
  include=$(packages | paste -sd, -)
  mmdebstrap --quiet --mode="$mode" --variant=apt --include="$include" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$suite" "$root.tmp" "$mirror"
  stamp_value > "$root.tmp/.garage-stamp"
  mv "$root.tmp" "$root"
  log "root ready: $root"
}

if host_has_native_packages; then native_setup; else root_setup; fi
