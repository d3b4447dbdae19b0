#!/usr/bin/env bash
# False alarms and missed events, shipped defaults against shipped defaults: the Motion daemon 4.7 (Debian package
# `motion`, its /etc/motion/motion.conf) and garage-guard's detector (garage-guard-motion, MotionConfig's defaults)
# on synthetic garage clips written by bench_nuisance_clips: nuisances that hold no real event (lights, IR switch,
# noise, flicker, clouds, auto-exposure, an LED and an insect) and clips with 1 or 2 real events (people, a car).
# Both use event_gap 5 s so that events in a short clip can separate. Prints a table; asserts nothing.
# Motion plays each file in real time and its count varies from run to run (which frames it picks up), so it runs
# REPEAT times per clip (3 unless told) and the table shows the median with every run's count when they differ.
#   deploy/env.sh --private-net tests/bench/false-alarms.sh [BUILD_DIR=build/release]   (KEEP=DIR keeps the files)
set -euo pipefail
build=${1:-build/release}
repeat=${REPEAT:-3}
parallel=6 # Motion plays a file in real time, at ~2 % of a core: several at once save wall time
for tool in bench_nuisance_clips garage-guard-motion; do
  [ -x "$build/bin/$tool" ] || { echo "missing $build/bin/$tool (build it with the release preset)" >&2; exit 2; }
done
command -v motion >/dev/null || { echo "the Motion daemon is not installed (Debian package motion)" >&2; exit 2; }
[ -f /etc/motion/motion.conf ] || { echo "no /etc/motion/motion.conf (Motion's shipped configuration)" >&2; exit 2; }
# KEEP=DIR keeps the clips, configurations, logs and event lists there (DIR must not exist yet)
if [ -n "${KEEP:-}" ]; then
  mkdir "$KEEP" && work=$(cd "$KEEP" && pwd)
  trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
else
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
fi

"$build/bin/bench_nuisance_clips" "$work/clips" > "$work/manifest" || { echo "cannot write the clips" >&2; exit 1; }

# motion_events NAME SECONDS RUN: Motion 4.7 on one clip. Its shipped motion.conf, minus what would open a device, write
# files or listen, plus the file source and event_gap. Motion replays a file from the start at EOF (its log says
# "Reconnecting with camera"), so it is stopped at the first EOF and only events started before it count.
motion_events() {
  local name=$1 secs=$2 dir="$work/motion/$1/$3"
  mkdir -p "$dir/out"
  {
    grep -v -E '^[[:space:]]*(daemon|log_file|log_level|target_dir|video_device|netcam_url|framerate|width|height|event_gap|picture_output|movie_output|webcontrol_port|stream_port|on_event_start)[[:space:]]' /etc/motion/motion.conf
    cat <<CONF
daemon off
log_file $dir/motion.log
log_level 6
target_dir $dir/out
netcam_url file://$work/clips/$name.avi
framerate 10
width 640
height 480
event_gap 5
picture_output off
movie_output off
webcontrol_port 0
stream_port 0
on_event_start echo %v >> $dir/events
CONF
  } > "$dir/motion.conf"
  : > "$dir/motion.log"
  motion -n -c "$dir/motion.conf" > "$dir/stdout" 2>&1 &
  local pid=$! waited=0 eof='Reconnecting with camera' limit=$(((${secs%.*} + 15) * 10)) started=$SECONDS
  until grep -q "$eof" "$dir/motion.log" || [ $waited -ge $limit ] || ! kill -0 $pid 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
  done
  local played=$((SECONDS - started))
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  # a reopen well before the clip's length would be a read error, not its end
  if ! grep -q "$eof" "$dir/motion.log" || [ $played -lt $((${secs%.*} * 3 / 4)) ]; then
    echo "Motion did not play $name.avi (${secs} s) once to its end: stopped after ${played} s (its log below)" >&2
    tail -20 "$dir/motion.log" >&2
    echo "?" > "$dir/count"
    return
  fi
  # the event numbers on_event_start wrote, up to the last event Motion had started before the first EOF
  local before
  before=$(awk '/Reconnecting with camera/ { exit } /starting event/ { n++ } END { print n + 0 }' "$dir/motion.log")
  awk -v n="$before" '$1 <= n' "$dir/events" 2>/dev/null | wc -l > "$dir/count"
}

mkdir -p "$work/motion"
for run in $(seq "$repeat"); do
  while IFS=$'\t' read -r name real secs what; do
    while [ "$(jobs -rp | wc -l)" -ge $parallel ]; do wait -n || true; done
    motion_events "$name" "$secs" "$run" &
  done < "$work/manifest"
done

# garage-guard: the offline tool (same MotionDetector and EventTracker as the daemon) with the defaults but event_gap
printf '[motion]\nevent_gap = 5\n' > "$work/gg.conf"
while IFS=$'\t' read -r name real secs what; do
  mkdir -p "$work/gg/$name"
  "$build/bin/garage-guard-motion" --json --config "$work/gg.conf" "$work/clips/$name.avi" > "$work/gg/$name/events.json" \
    || { echo "garage-guard-motion failed on $name.avi" >&2; exit 1; }
  grep -c '"start_s"' "$work/gg/$name/events.json" > "$work/gg/$name/count" || true
done < "$work/manifest"
wait

# MEDIAN (RUN/RUN/...) of Motion's counts on one clip, runs not measured ("?") left out; "?" if none was
motion_cell() {
  cat "$work/motion/$1"/*/count | awk '$1 != "?" { c[n++] = $1 } END {
    if (n == 0) { print "?"; exit }
    runs = c[0]; same = 1
    for (i = 1; i < n; i++) { runs = runs "/" c[i]; if (c[i] != c[0]) same = 0 }
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (c[j] < c[i]) { t = c[i]; c[i] = c[j]; c[j] = t }
    print same ? c[0] : c[int((n - 1) / 2)] " (" runs ")" }'
}

printf '%-18s %5s %-14s %12s  %s\n' clip real "Motion" garage-guard "what happens"
while IFS=$'\t' read -r name real secs what; do
  cell=$(motion_cell "$name")
  printf '%-18s %5s %-14s %12s  %s\n' "$name" "$real" "$cell" "$(cat "$work/gg/$name/count")" "$what"
  printf '%s\t%s\t%s\n' "$real" "${cell%% *}" "$(cat "$work/gg/$name/count")" >> "$work/counts"
done < "$work/manifest"
awk -F '\t' '
  { real = $1; m = $2; g = $3
    if (m == "?") unknown++; else { mf += (m > real ? m - real : 0); mm += (real > m ? real - m : 0) }
    gf += (g > real ? g - real : 0); gm += (real > g ? real - g : 0); events += real; clips++ }
  END {
    printf "%d clips, %d real events. False alarms = events on nuisance clips + events beyond the real count.\n", clips, events
    printf "  Motion 4.7   : %d false alarm(s), %d missed event(s) (median of each clip'"'"'s runs)%s\n", mf, mm, unknown ? sprintf(", %d clip(s) not measured", unknown) : ""
    printf "  garage-guard : %d false alarm(s), %d missed event(s)\n", gf, gm
  }' "$work/counts"
for run in $(seq "$repeat"); do
  while IFS=$'\t' read -r name real secs what; do
    printf '%s\t%s\n' "$real" "$(cat "$work/motion/$name/$run/count")"
  done < "$work/manifest" | awk -F '\t' -v r="$run" '
    $2 == "?" { unknown++; next } { f += ($2 > $1 ? $2 - $1 : 0); m += ($1 > $2 ? $1 - $2 : 0) }
    END { printf "    Motion run %d: %d false alarm(s), %d missed%s\n", r, f, m, unknown ? sprintf(", %d clip(s) not measured", unknown) : "" }'
done
# garage-guard's events with their times and boxes, to see what an unexpected one was
for f in "$work"/gg/*/events.json; do
  name=$(basename "$(dirname "$f")")
  grep '"start_s"' "$f" | sed "s/^/  garage-guard $name: /" || true
done
