#!/usr/bin/env bash
# The SPIN runs with larger bounds (minutes, several GB): by hand, from the
# repository root: bash model/run_big.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //model:promela_gen
bash model/spin_test.sh "$(bazel info bazel-bin)/model/promela_gen" model/otr.pml --big
