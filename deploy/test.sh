#!/usr/bin/env bash
# The README's test command: sets up (native packages or the Debian 13 root, and the clean Debian 13 root the package
# test installs the .deb into), builds the dev and asan presets and runs every test in both, then builds the fuzz
# preset (clang, only the libFuzzer targets), replays each seed corpus and fuzzes each target for 20 s; all inside a
# private network namespace (the tests' own Prosody binds loopback ports there). Prints the time of each stage.
#   FUZZ_SECONDS=20 deploy/test.sh     (seconds per fuzz target; 0 skips the fuzz stage)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
deploy/setup.sh --package-root
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-20}
deploy/env.sh --private-net env GARAGE_REQUIRE_PACKAGE_ROOT=1 bash -euo pipefail -c "
  stage() { echo \"== \$1: \$(( \$(date +%s) - \$2 )) s\"; }
  for preset in dev asan; do
    echo \"== \$preset: configure, build, test\"
    t=\$(date +%s)
    cmake --preset \$preset >/dev/null
    cmake --build --preset \$preset -j $jobs
    stage \"\$preset build\" \$t
    t=\$(date +%s)
    ctest --preset \$preset
    stage \"\$preset tests\" \$t
  done
  if [ $fuzz_seconds -gt 0 ]; then
    echo '== fuzz: configure, build the libFuzzer targets, replay the seed corpora, fuzz each target ${fuzz_seconds} s'
    t=\$(date +%s)
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j $jobs
    stage 'fuzz build' \$t
    t=\$(date +%s)
    ctest --preset fuzz
    tests/fuzz/run.sh $fuzz_seconds
    stage 'fuzz runs' \$t
  fi
"
