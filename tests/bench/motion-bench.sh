#!/usr/bin/env bash
# Motion analysis figures for the README: median ms/frame at 640x480 and 1280x720, and callgrind instructions per
# frame (exact across runs, unlike time on shared machines). Run from the checkout after building the release preset:
#   deploy/env.sh tests/bench/motion-bench.sh [build/release]
set -euo pipefail
build=${1:-build/release}
bench=$build/bin/bench_motion
for size in 640x480 1280x720; do
  "$bench" --size "$size" --frames 300 --passes 7
done
if command -v valgrind >/dev/null; then
  for size in 640x480 1280x720; do
    total() {
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --size "$size" --frames "$1" --passes 1 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    a=$(total 50); b=$(total 150)
    echo "callgrind $size: $(( (b - a) / 100 )) instructions/frame (frames 50..150 of vtest.avi, shipped defaults)"
  done
fi
