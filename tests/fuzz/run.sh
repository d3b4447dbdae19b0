#!/bin/sh
# Runs every libFuzzer target (build/fuzz/bin/fuzz_*, built with the fuzz preset) for SECONDS each, starting from its
# seed corpus in tests/fuzz/corpus/<target>/ (copied: the seeds in the repository stay as they are), and prints for
# each: executions, executions per second, coverage (libFuzzer's cov: edges) and crashes. Exit 1 on any crash, leak
# or timeout; its reproducer is kept in build/fuzz/fuzz-crashes/<target>/.
#   deploy/env.sh cmake --preset fuzz && deploy/env.sh cmake --build --preset fuzz -j2
#   deploy/env.sh tests/fuzz/run.sh 20                      every target, 20 s each
#   deploy/env.sh tests/fuzz/run.sh 300 fuzz_addressing     only the targets named
set -eu
seconds=${1:-20}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
build=${GARAGE_FUZZ_BUILD:-$here/../../build/fuzz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
printf '%-20s %12s %10s %8s %8s\n' target executions exec/s cov crashes
if [ $# -gt 0 ]; then
    targets=$(for name in "$@"; do echo "$build/bin/$name"; done)
else
    targets=$(ls "$build"/bin/fuzz_* 2>/dev/null || true)
fi
[ -n "$targets" ] || { echo "run.sh: no fuzz targets in $build/bin (build the fuzz preset)" >&2; exit 1; }
for target in $targets; do
    name=$(basename "$target")
    [ -x "$target" ] || { echo "run.sh: $target is not built" >&2; status=1; continue; }
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
