#!/usr/bin/env bash
# The v4 SPIN runs with larger bounds (minutes, up to several GB): by hand,
# from the repository root: bash model/v4/run_big.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bazel build //model/v4:promela_gen_v4
nice -n 19 bash model/v4/spin_v4_test.sh "$(bazel info bazel-bin)/model/v4/promela_gen_v4" \
  model/v4/otr4.pml --big
