#!/usr/bin/env bash
# Side by side, in one run: the Motion daemon (Debian package `motion`) and garage-guard each watching OpenCV's
# vtest.avi (768x576, people walking) in real time at 10 fps, for the same wall time, from two kinds of source:
#   file  - the AVI itself (DivX; each program decodes it with ffmpeg): Motion, the garage-guard daemon (Qt Multimedia's
#           QMediaPlayer), and the same detector in garage-guard-motion --realtime (OpenCV's ffmpeg decode, no Qt)
#   mjpeg - an MJPEG network camera: the clip's frames as JPEG (quality 85) served over HTTP by
#           tests/camera/mjpeg_server.py (its CPU counted for neither), Motion through netcam_url
# Prints each process's CPU seconds per frame, % of one core, the ratio, and each one's event count; and the CPU of
# decoding alone (bench_decode_floor: no analysis at all), the floor under any program that decodes the same stream.
#   deploy/env.sh --private-net tests/bench/motion-vs-motion.sh [BUILD_DIR=build/release] [SECONDS=60] [file|mjpeg|both]
set -euo pipefail
build=${1:-build/release}
secs=${2:-60}
warm=10
[ "$secs" -le 75 ] && [ "$secs" -ge 20 ] || { echo "SECONDS must be 20..75 (vtest.avi lasts 79 s)" >&2; exit 2; }
which=${3:-both}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
clip=${CLIP:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
work=$(mktemp -d)
mpid= gpid= spid= tpid= fpid=
trap 'kill $mpid $gpid $spid $tpid $fpid 2>/dev/null || true; rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$1/stat"; }

# run_pair LABEL MOTION_NETCAM_URL GARAGE_SOURCE
run_pair() {
  local label=$1 netcam=$2 source=$3 dir="$work/$1"
  mkdir -p "$dir/motion-out"
  cat > "$dir/motion.conf" <<CONF
daemon off
log_level 4
target_dir $dir/motion-out
netcam_url $netcam
framerate 10
width 768
height 576
picture_output off
movie_output off
webcontrol_port 0
stream_port 0
on_event_start echo start >> $dir/motion-events
CONF
  motion -n -c "$dir/motion.conf" >"$dir/motion.log" 2>&1 &
  mpid=$!

  cat > "$dir/gg.conf" <<CONF
[xmpp]
jid = bench@localhost
password = unused
owners = owner@localhost
host = 127.0.0.1
port = 9
[camera]
source = $source
loop = true
analysis_fps = 10
[storage]
dir = $dir/gg-state
CONF
  QT_FORCE_STDERR_LOGGING=1 "$build/bin/garage-guard" --config "$dir/gg.conf" >"$dir/gg.log" 2>&1 &
  gpid=$!

  tpid=
  if [ "$label" = file ]; then
    "$build/bin/garage-guard-motion" --realtime --json "$clip" >"$dir/tool.log" 2>&1 &
    tpid=$!
  fi

  if [ "$label" = file ]; then
    "$build/bin/bench_decode_floor" file "$clip" &
  else
    "$build/bin/bench_decode_floor" jpeg "$work/jpeg" 2 &
  fi
  fpid=$!

  # steady state only: start-up (loading libraries, opening the source) is not a per-frame cost
  sleep "$warm"
  local m0 g0 t0= f0 m g t= f frames motion_events gg_events
  m0=$(cpu_seconds $mpid); g0=$(cpu_seconds $gpid); f0=$(cpu_seconds $fpid)
  [ -n "$tpid" ] && t0=$(cpu_seconds $tpid)
  sleep $((secs - warm))
  m=$(awk -v a="$(cpu_seconds $mpid)" -v b="$m0" 'BEGIN { printf "%.3f", a - b }')
  g=$(awk -v a="$(cpu_seconds $gpid)" -v b="$g0" 'BEGIN { printf "%.3f", a - b }')
  [ -n "$tpid" ] && t=$(awk -v a="$(cpu_seconds $tpid)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
  f=$(awk -v a="$(cpu_seconds $fpid)" -v b="$f0" 'BEGIN { printf "%.3f", a - b }')
  kill $mpid $gpid $tpid $fpid 2>/dev/null || true
  wait $mpid $gpid $tpid $fpid 2>/dev/null || true
  frames=$(((secs - warm) * 10))
  motion_events=$( [ -f "$dir/motion-events" ] && wc -l < "$dir/motion-events" || echo 0)
  gg_events=$(grep -c "motion event .* started" "$dir/gg.log" || true)
  awk -v m="$m" -v g="$g" -v f="$frames" -v s="$((secs - warm))" -v me="$motion_events" -v ge="$gg_events" -v l="$label" -v w="$warm" 'BEGIN {
    printf "vtest.avi in real time, source %s: whole process CPU including decoding over %d s (%d frames at 10 fps) after a %d s warm-up:\n", l, s, f, w
    printf "  Motion 4.7    : %.3f CPU s = %.2f ms/frame = %.2f %% of one core, %d event(s)\n", m, 1000*m/f, 100*m/s, me
    printf "  garage-guard  : %.3f CPU s = %.2f ms/frame = %.2f %% of one core, %d event(s)\n", g, 1000*g/f, 100*g/s, ge
    if (g > 0) printf "  ratio Motion / garage-guard: %.2fx\n", m/g
  }'
  awk -v m="$m" -v d="$f" -v fr="$frames" -v l="$label" 'BEGIN {
    what = l == "file" ? "ffmpeg via OpenCV, grab only" : "libjpeg, luma at 1/2 scale"
    printf "  decoding alone (%s, no analysis): %.2f ms/frame; Motion / decoding alone: %.2fx, the most any program decoding this stream could reach\n", what, 1000*d/fr, (d > 0 ? m/d : 0)
  }'
  if [ -n "$t" ]; then
    awk -v m="$m" -v t="$t" -v f="$frames" -v s="$((secs - warm))" 'BEGIN {
      printf "  garage-guard-motion --realtime (same detector, OpenCV decode): %.3f CPU s = %.2f ms/frame = %.2f %% of one core\n", t, 1000*t/f, 100*t/s
      if (t > 0) printf "  ratio Motion / garage-guard-motion: %.2fx\n", m/t
    }'
  fi
}

if [ "$which" = file ] || [ "$which" = both ]; then
  run_pair file "file://$clip" "$clip"
fi
if [ "$which" = mjpeg ] || [ "$which" = both ]; then
  mkdir -p "$work/jpeg"
  "$build/bin/bench_motion_frames" "$clip" 768x576 100000 "$work/jpeg/" || true
  [ -f "$work/jpeg/f0000.jpg" ] || { echo "could not write the clip's frames as JPEG" >&2; exit 1; }
  port=18081
  python3 "$here/../camera/mjpeg_server.py" $port "$work/jpeg" 10 >"$work/server.log" &
  spid=$!
  for _ in $(seq 50); do grep -q ready "$work/server.log" && break; sleep 0.1; done
  run_pair mjpeg "http://127.0.0.1:$port/stream.mjpg" "http://127.0.0.1:$port/stream.mjpg"
fi
