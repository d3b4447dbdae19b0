#!/usr/bin/env bash
# Runs a command in garage-guard's Debian 13 environment: natively where the host has the packages, otherwise inside
# the root made by deploy/setup.sh, with bwrap, the checkout bound at the same path and the current directory kept.
#   deploy/env.sh [--private-net] CMD [ARGS...]
#   --private-net  run in a fresh network namespace with only its own loopback (tests bind fixed ports there)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)

private_net=0
while [ $# -gt 0 ]; do
  case "$1" in
    --private-net) private_net=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: deploy/env.sh [--private-net] CMD [ARGS...]" >&2; exit 2; }

find_root() {
  if [ -n "${GARAGE_ROOT:-}" ]; then echo "$GARAGE_ROOT"; return; fi
  local r="$top/.cache/debian13"
  if [ ! -d "$r" ]; then
    # a git worktree of the checkout shares the main checkout's root
    local common
    common=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    [ -n "$common" ] && [ -d "$(dirname "$common")/.cache/debian13" ] && r="$(dirname "$common")/.cache/debian13"
  fi
  echo "$r"
}

if apt-cache policy libqxmppqt6-dev 2>/dev/null | grep -q 'Installed: [0-9]'; then
  # native Debian 13: nothing to enter
  if [ "$private_net" -eq 1 ] && command -v unshare >/dev/null && unshare -rn true 2>/dev/null; then
    exec unshare -rn sh -c 'ip link set lo up 2>/dev/null; exec "$@"' sh "$@"
  fi
  exec "$@"
fi

root=$(find_root)
[ -x "$root/usr/bin/cmake" ] || { echo "env.sh: no Debian 13 root at $root; run deploy/setup.sh first" >&2; exit 2; }

# bwrap would create missing mount points as 0700: make them traversable for unprivileged users (Prosody's)
make_mount_point() {
  local p=$1
  while [ "$p" != / ] && [ -n "$p" ]; do
    mkdir -p "$root$p" && chmod 755 "$root$p"
    p=$(dirname "$p")
  done
}
make_mount_point "$top"
case "$PWD/" in "$top/"*) ;; *) make_mount_point "$PWD" ;; esac

args=(--bind "$root" / --proc /proc --dev /dev --perms 1777 --tmpfs /tmp --tmpfs /run
      --ro-bind-try /etc/resolv.conf /etc/resolv.conf
      --bind "$top" "$top" --chdir "$PWD" --die-with-parent
      --setenv HOME "${HOME:-/root}" --setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
      --setenv QT_QPA_PLATFORM offscreen --unsetenv LD_LIBRARY_PATH --unsetenv PYTHONPATH --unsetenv PYTHONHOME)
# the current directory may lie outside the checkout (a clean clone in /tmp, a worktree): bind it too
case "$PWD/" in "$top/"*) ;; *) args+=(--bind "$PWD" "$PWD") ;; esac
[ "$private_net" -eq 1 ] && args+=(--unshare-net)
exec bwrap "${args[@]}" "$@"
