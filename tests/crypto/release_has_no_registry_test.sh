#!/usr/bin/env bash
# The live-secret registry is test-only (issue 14): a release binary (the
# one given, e.g. //bench:crypto_bench) must carry none of it (no
# ForEachLiveSecret, no registry functions), only SecretBytes' null observer.
set -euo pipefail
BIN="$1"
[[ -x "$BIN" ]] || { echo "release_has_no_registry_test: no binary at $BIN" >&2; exit 1; }
SYMBOLS="$(nm -C "$BIN")"
[[ -n "$SYMBOLS" ]] || { echo "release_has_no_registry_test: nm printed nothing" >&2; exit 1; }
grep -q "SecretBytes::SecretBytes" <<<"$SYMBOLS" || {
  echo "release_has_no_registry_test: no SecretBytes in $BIN (stripped?)" >&2
  exit 1
}
if grep -E "ForEachLiveSecret|LiveSecretCount|RegisterSecret" <<<"$SYMBOLS"; then
  echo "release_has_no_registry_test: the registry is linked into $BIN" >&2
  exit 1
fi
echo "release_has_no_registry_test: ok"
