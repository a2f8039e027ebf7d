#!/usr/bin/env bash
# The whole test suite: installs what is missing, then `bazel test //...`.
# Extra arguments go to bazel (e.g. --config=asan).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bazel test "$@" //...
