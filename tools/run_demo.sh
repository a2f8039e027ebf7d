#!/usr/bin/env bash
# The main job. Until the `otr demo` exists (issue 8), it is the crypto
# backend comparison: every primitive on both backends in one benchmark run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec bash bench/run_crypto_bench.sh "$@"
