#!/usr/bin/env bash
# Stops the Prosody started by prosody-up.sh in DIR (SIGKILL with --kill, for outage tests).
dir=$1
signal=TERM
[ "${2:-}" = "--kill" ] && signal=KILL
for f in "$dir/data/prosody.pid" "$dir/runner.pid"; do
  [ -f "$f" ] && kill -s "$signal" "$(cat "$f")" 2>/dev/null
done
for _ in $(seq 1 50); do
  pgrep -f "prosody --config $dir/prosody.cfg.lua" >/dev/null || exit 0
  sleep 0.1
done
pkill -KILL -f "prosody --config $dir/prosody.cfg.lua"
exit 0
