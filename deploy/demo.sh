#!/usr/bin/env bash
# The README's demo command. Until the appliance is wired together (the integration issue), it sets up the
# environment, builds garage-guard and checks the example configuration, printing the effective settings.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
deploy/setup.sh
deploy/env.sh bash -euo pipefail -c "cmake --preset dev >/dev/null && cmake --build --preset dev -j $(nproc) >/dev/null"
echo "demo: the full demo (Prosody, sample video, scripted phone) arrives with the integration issue;"
echo "demo: for now, garage-guard validates the example configuration:"
deploy/env.sh build/dev/bin/garage-guard --check-config --config deploy/garage-guard.conf.example
