#!/usr/bin/env bash
# The v4 explorer at larger bounds (minutes): by hand, from the repository
# root: bash model/explorer/run_v4_big.sh [MAX_STATES]
# Prints one line per configuration (states, transitions, rows, time); a
# violation prints its shrunk trace and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
max=${1:-20000}
bazel build //model/explorer:explore_v4
bin="$(bazel info bazel-bin)/model/explorer/explore_v4"
status=0
for run in ake:3 established:3 reorder:6 smp-differ:4 v3-fallback:4 ake-mallory:3 established-mallory:3 mallory-smp:14 \
  offline:4 offline-reorder:8 offline-live:8; do
  nice -n 19 "$bin" --config="${run%%:*}" --depth="${run##*:}" --max-states="$max" || status=1
done
exit $status
