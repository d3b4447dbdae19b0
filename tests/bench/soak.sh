#!/usr/bin/env bash
# The soak: two garage-guard daemons (a looping video file; the MJPEG camera server restarted every 2 minutes) with
# Prosody and the owner's phone (a command every 5 s, a motion alert every 30 s per daemon) for MINUTES; prints RSS,
# descriptors, threads and storage bytes after the first minute and at the end, and the growth per hour.
#   tests/bench/soak.sh MINUTES [BUILD_DIR]      (default build/release; builds bench_soak and garage-guard there)
set -euo pipefail
minutes=${1:?usage: soak.sh MINUTES [BUILD_DIR]}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${2:-$top/build/release}
preset=$(basename "$build")
cd "$top"
[ -f "$build/build.ninja" ] || deploy/env.sh cmake --preset "$preset" >/dev/null
deploy/env.sh cmake --build "$build" --target bench_soak garage-guard >/dev/null
exec deploy/env.sh --private-net "$build/bin/bench_soak" "$minutes"
