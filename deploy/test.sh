#!/usr/bin/env bash
# The README's test command: sets up (native packages or the Debian 13 root), builds the dev and asan presets and runs
# every test in both, inside a private network namespace (the tests' own Prosody binds loopback ports there).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
deploy/setup.sh
jobs=$(nproc)
deploy/env.sh --private-net bash -euo pipefail -c "
  for preset in dev asan; do
    echo \"== \$preset: configure, build, test\"
    cmake --preset \$preset >/dev/null
    cmake --build --preset \$preset -j $jobs
    ctest --preset \$preset
  done
"
