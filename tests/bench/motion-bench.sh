#!/usr/bin/env bash
# Motion analysis figures for the README: median ms/frame at 640x480 and 1280x720, and callgrind instructions per
# frame (exact across runs, unlike time on shared machines), on OpenCV's vtest.avi scaled to each size.
#   deploy/env.sh tests/bench/motion-bench.sh [BUILD_DIR=build/release]
set -euo pipefail
build=${1:-build/release}
clip=${CLIP:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for size in 640x480 1280x720; do
  "$build/bin/bench_motion_frames" "$clip" "$size" 300 "$work/$size.raw"
  "$build/bin/bench_motion" --raw "$work/$size.raw" --size "$size" --frames 300 --passes 7
done
if command -v valgrind >/dev/null; then
  for size in 640x480 1280x720; do
    total() { # instructions of a run over the first N frames
      valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$build/bin/bench_motion" --raw "$work/$size.raw" \
        --size "$size" --frames "$1" --passes 1 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    a=$(total 100); b=$(total 300)
    echo "callgrind $size: $(( (b - a) / 200 )) instructions/frame (frames 100..300 of vtest.avi, shipped defaults)"
  done
fi
