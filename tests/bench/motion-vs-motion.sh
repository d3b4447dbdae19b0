#!/usr/bin/env bash
# Side by side, in one run: the Motion daemon (Debian package `motion`) and garage-guard each watching OpenCV's
# vtest.avi (768x576, people walking) played in real time at 10 fps, for the same wall time. Prints each process's
# CPU seconds per frame, % of one core, the ratio, and each one's event count.
#   deploy/env.sh --private-net tests/bench/motion-vs-motion.sh [BUILD_DIR=build/release] [SECONDS=60]
set -euo pipefail
build=${1:-build/release}
secs=${2:-60}
clip=${CLIP:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
work=$(mktemp -d)
trap 'kill $mpid $gpid 2>/dev/null || true; rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }

mkdir -p "$work/motion-out"
cat > "$work/motion.conf" <<CONF
daemon off
log_level 4
target_dir $work/motion-out
netcam_url file://$clip
framerate 10
width 768
height 576
picture_output off
movie_output off
webcontrol_port 0
stream_port 0
on_event_start echo start >> $work/motion-events
CONF
motion -n -c "$work/motion.conf" >"$work/motion.log" 2>&1 &
mpid=$!

cat > "$work/gg.conf" <<CONF
[xmpp]
jid = bench@localhost
password = unused
owners = owner@localhost
host = 127.0.0.1
port = 9
[camera]
source = $clip
loop = true
analysis_fps = 10
[storage]
dir = $work/gg-state
CONF
QT_FORCE_STDERR_LOGGING=1 "$build/bin/garage-guard" --config "$work/gg.conf" >"$work/gg.log" 2>&1 &
gpid=$!

sleep "$secs"
m=$(cpu_seconds $mpid); g=$(cpu_seconds $gpid)
frames=$((secs * 10))
motion_events=$( [ -f "$work/motion-events" ] && wc -l < "$work/motion-events" || echo 0)
gg_events=$(grep -c "motion event .* started" "$work/gg.log" || true)
awk -v m="$m" -v g="$g" -v f="$frames" -v s="$secs" -v me="$motion_events" -v ge="$gg_events" 'BEGIN {
  printf "vtest.avi in real time for %d s (%d frames at 10 fps), whole process CPU including decoding:\n", s, f
  printf "  Motion 4.7    : %.3f CPU s = %.2f ms/frame = %.2f %% of one core, %d event(s)\n", m, 1000*m/f, 100*m/s, me
  printf "  garage-guard  : %.3f CPU s = %.2f ms/frame = %.2f %% of one core, %d event(s)\n", g, 1000*g/f, 100*g/s, ge
  if (g > 0) printf "  ratio Motion / garage-guard: %.2fx\n", m/g
}'
