#!/usr/bin/env bash
# The main job: `otr demo`, two parties holding an OTR v3 conversation in one
# process while a wiretap prints what crosses the wire. Arguments go to the
# demo (e.g. --version 2, --backend gcrypt, --wire). The crypto backend
# comparison is `bash bench/run_crypto_bench.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bazel build --config=opt //tools:otr >&2
exec bazel-out/k8-opt/bin/tools/otr demo "$@"
