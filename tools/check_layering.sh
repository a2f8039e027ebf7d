#!/usr/bin/env bash
# Checks the layering of DESIGN.md "Layout" with `bazel query` (no compiling):
#
#   tools, fuzz, bench, model, tests  ->  protocol  ->  crypto  ->  base
#
# and, inside protocol: session -> v3 engine -> v3 ake/keys/smp/state and the
# version-neutral SMP -> wire/store/table; api is the shared vocabulary; wire
# knows nothing of sessions; crypto knows nothing of OTR messages; only the
# crypto registry (//crypto:crypto) and tests may use a backend.
#
# Three kinds of check, each failure printed with the offending path:
#  1. no target in base/, crypto/ or protocol/ is public (the audiences are
#     the package groups in //:BUILD);
#  2. the dependency graph as it is has no wrong arrow (somepath is empty);
#  3. the visibility as declared forbids every wrong arrow: a target of each
#     package in base/, crypto/, protocol/ and the top layer can see nothing
#     of a layer above it (visible() is empty), so adding such a dependency
#     fails at `bazel build --nobuild`. A legal arrow is checked to be seen,
#     so the check cannot pass by seeing nothing.
# Exits 1 on any failure. Run by .ci/run after the format check.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
checks=0

# query EXPR: prints the labels EXPR evaluates to; a query error stops the
# script (an error must not read as "empty").
query() {
  local out
  if ! out=$(bazel query --noshow_progress --output=label "$1" 2>/tmp/check_layering.$$.err); then
    echo "check_layering: bazel query failed: $1" >&2
    cat /tmp/check_layering.$$.err >&2
    rm -f /tmp/check_layering.$$.err
    exit 2
  fi
  rm -f /tmp/check_layering.$$.err
  printf '%s' "$out"
}

# expect_empty WHAT EXPR
expect_empty() {
  local result
  checks=$((checks + 1))
  result=$(query "$2")
  if [[ -n "$result" ]]; then
    echo "FAIL: $1"
    echo "  query: $2"
    sed 's/^/    /' <<<"$result"
    failures=$((failures + 1))
  fi
}

# expect_nonempty WHAT EXPR
expect_nonempty() {
  checks=$((checks + 1))
  if [[ -z "$(query "$2")" ]]; then
    echo "FAIL: $1 (the query found nothing: the check is blind)"
    echo "  query: $2"
    failures=$((failures + 1))
  fi
}

# pattern DIR: "//DIR/..." if DIR holds a package, else the empty set, so a
# package that does not exist yet (protocol/smp, protocol/v4) is allowed for.
pattern() {
  if [[ -n "$(find "$1" -name BUILD -o -name BUILD.bazel 2>/dev/null | head -n 1)" ]]; then
    printf '//%s/...' "$1"
  else
    printf 'set()'
  fi
}

# The top layer's rules (config_settings are not subject to visibility).
TOP_ALL="//bench/... + //fuzz/... + //model/... + //tests/... + //tools/..."
TOP="(($TOP_ALL) - kind(config_setting, $TOP_ALL))"
BACKENDS="(//crypto:crypto + //crypto/gcrypt/... + //crypto/openssl/... + //crypto/testing/...)"
ENGINE="//protocol/v3/engine/..."
SESSION="//protocol/session/..."
SMP=$(pattern protocol/smp)
# The bottom of the protocol layer and its vocabulary.
BOTTOM="(//protocol/wire/... + //protocol/table/...)"

# 1. Nothing below the top layer is public.
expect_empty "no public target in base/, crypto/, protocol/" \
  'attr(visibility, "//visibility:public", //base/... + //crypto/... + //protocol/...)'

# 2. The graph as it is.
expect_empty "base depends on nothing above it" \
  "somepath(//base/..., //crypto/... + //protocol/... + $TOP)"
expect_empty "crypto depends on no protocol code and nothing above" \
  "somepath(//crypto/..., //protocol/... + $TOP)"
expect_empty "protocol depends on nothing of the top layer" \
  "somepath(//protocol/..., $TOP)"
expect_empty "protocol libraries use the crypto interface, never a backend or test helper" \
  "somepath(kind(cc_library, //protocol/...), $BACKENDS)"
expect_empty "wire and table depend on no other protocol package" \
  "somepath($BOTTOM, //protocol/... - $BOTTOM)"
expect_empty "store depends on nothing of the protocol but wire and table" \
  "somepath(//protocol/store/..., //protocol/... - //protocol/store/... - $BOTTOM)"
expect_empty "api depends on nothing of the protocol but wire and table" \
  "somepath(//protocol/api/..., //protocol/... - //protocol/api/... - $BOTTOM)"
expect_empty "v3 internals and the SMP depend on neither the engine nor the session" \
  "somepath((//protocol/v3/... - $ENGINE) + $SMP, $ENGINE + $SESSION)"
expect_empty "the v3 engine does not depend on the session" \
  "somepath($ENGINE, $SESSION)"

# 3. The visibility as declared. One target stands for its package (visibility
# is granted to packages). forbidden PACKAGE prints what it must not see.
forbidden() {
  case "$1" in
    base | base/*) echo "//crypto/... + //protocol/... + $TOP" ;;
    crypto | crypto/*) echo "//protocol/... + $TOP" ;;
    protocol/wire | protocol/wire/* | protocol/table | protocol/table/*)
      echo "(//protocol/... - $BOTTOM) + $BACKENDS + $TOP" ;;
    protocol/store | protocol/store/*)
      echo "(//protocol/... - //protocol/store/... - $BOTTOM) + $BACKENDS + $TOP" ;;
    protocol/api | protocol/api/*)
      echo "(//protocol/... - //protocol/api/... - $BOTTOM) + $BACKENDS + $TOP" ;;
    protocol/v3/engine | protocol/v3/engine/*) echo "$SESSION + $BACKENDS + $TOP" ;;
    protocol/v3 | protocol/v3/* | protocol/smp | protocol/smp/*)
      echo "$ENGINE + $SESSION + $BACKENDS + $TOP" ;;
    protocol/*) echo "$BACKENDS + $TOP" ;;
    # The top layer (tests excepted) reaches a backend through the registry.
    bench | bench/* | fuzz | fuzz/* | model | model/* | tools | tools/*)
      echo "//crypto/gcrypt/... + //crypto/openssl/..." ;;
    *) echo "" ;;
  esac
}

packages=$(query "kind(rule, //base/... + //crypto/... + //protocol/... + //bench/... + //fuzz/... + //model/... + //tools/...)" |
  sed -E 's|^//([^:]*):.*|\1|' | sort -u)
for pkg in $packages; do
  denied=$(forbidden "$pkg")
  [[ -z "$denied" ]] && continue
  one=$(query "kind(rule, //$pkg:all)")
  one=${one%%$'\n'*}
  # visible(X, S): the targets of S that X may depend on.
  expect_empty "$pkg may not depend on a layer above it (visibility)" \
    "visible($one, $denied)"
done

# Legal arrows are seen, so an empty answer above is the visibility
# speaking, not a blind query.
legal=(
  "//protocol/session:session //protocol/v3/engine:conversation"
  "//protocol/v3/engine:conversation //protocol/v3/ake:ake"
  "//protocol/v3/engine:conversation //protocol/api:api"
  "//protocol/v3/ake:ake //protocol/wire:reader"
  "//protocol/store:fingerprint //crypto:interface"
  "//crypto:crypto //crypto/gcrypt:gcrypt"
  "//crypto:crypto //crypto/openssl:openssl"
  "//crypto:interface //base:base"
  "//tools:otr //crypto:crypto"
)
for arrow in "${legal[@]}"; do
  read -r from to <<<"$arrow"
  expect_nonempty "$from may depend on $to" "visible($from, $to)"
done

if ((failures > 0)); then
  echo "check_layering: $failures of $checks checks failed"
  exit 1
fi
echo "check_layering: $checks checks passed"
