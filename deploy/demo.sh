#!/usr/bin/env bash
# The README's demo command: sets up the environment (deploy/setup.sh), builds garage-guard, and runs the demo
# (deploy/demo-run.sh) in a private network namespace so it cannot collide with anything on this machine.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
deploy/setup.sh
echo "demo: building (dev preset)..."
deploy/env.sh bash -euo pipefail -c "cmake --preset dev >/dev/null && cmake --build --preset dev -j $(nproc) >/dev/null"
exec deploy/env.sh --private-net deploy/demo-run.sh
