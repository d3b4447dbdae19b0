#!/bin/sh
# Runs every libFuzzer target (build/fuzz/bin/fuzz_*, built with the fuzz preset) for SECONDS each, starting from its
# seed corpus in tests/fuzz/corpus/<target>/ (copied: the seeds in the repository stay as they are), and prints for
# each: executions, executions per second, coverage (libFuzzer's cov: edges) and crashes. Exit 1 on any crash, leak
# or timeout; its reproducer is kept in build/fuzz/fuzz-crashes/<target>/.
#   deploy/env.sh cmake --preset fuzz && deploy/env.sh cmake --build --preset fuzz -j2
#   deploy/env.sh tests/fuzz/run.sh 20
set -eu
seconds=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
build=${GARAGE_FUZZ_BUILD:-$here/../../build/fuzz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
printf '%-20s %12s %10s %8s %8s\n' target executions exec/s cov crashes
for target in "$build"/bin/fuzz_*; do
    [ -x "$target" ] || continue
    name=$(basename "$target")
    mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
    cp "$here/corpus/$name/"* "$work/$name/corpus/"
    log="$work/$name/log"
    rc=0
    QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='*.info=false;*.warning=false' \
        "$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/$name/artifacts/" "$work/$name/corpus" >"$log" 2>&1 || rc=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    crashes=$(find "$work/$name/artifacts" -type f | wc -l)
    printf '%-20s %12s %10s %8s %8s\n' "$name" "${executions:-?}" "${rate:-?}" "${cov:-?}" "$crashes"
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        status=1
        mkdir -p "$build/fuzz-crashes/$name"
        cp "$work/$name/artifacts/"* "$build/fuzz-crashes/$name/" 2>/dev/null || true
        cp "$log" "$build/fuzz-crashes/$name/log"
        echo "  $name failed (exit $rc): see $build/fuzz-crashes/$name/log" >&2
        grep -m 5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "$log" | sed 's/^/    /' >&2 || true
    fi
done
exit $status
