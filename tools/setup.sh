#!/usr/bin/env bash
# Installs the Debian packages this project needs, and nothing when all are
# present (quick and idempotent). Called by run_demo.sh, run_tests.sh and
# .ci/run; run as root on Debian 12.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap      # Bazel 4.2.3, builds offline (see docs/decisions/0001)
  g++ clang            # default toolchain; clang for --config=clang / fuzz
  libfuzzer-14-dev libclang-rt-14-dev  # libFuzzer and sanitizer runtimes
  clang-format         # style check in CI
  libssl-dev libdecaf-dev libgcrypt20-dev  # the two crypto backends
  libgtest-dev librapidcheck-dev libbenchmark-dev nlohmann-json3-dev
  libotr5-dev python3-potr python3  # interoperability peers
  # libotr-ng, the OTRv4 peer (../shared/peers/libotr-ng/build.sh, run by
  # the @libotr_ng repository rule): its build tools and libraries
  autoconf automake libtool pkg-config libglib2.0-dev libsodium-dev
  ngircd               # IRC server for the `otr chat` end-to-end test
  # the real IRC clients' OTR against `otr chat`, driven under tmux
  # (tests/tools/irc_clients_e2e_test.py)
  irssi irssi-plugin-otr tmux
  weechat-curses weechat-python weechat-scripts
  spin                 # the SPIN model checker (model/)
  python3-matplotlib   # benchmark report charts
  zip                  # OSS-Fuzz seed corpus archives (fuzz/check_oss_fuzz_build.sh)
  # the prekey server's storage (tools/prekey_server/): SQLite, and
  # PostgreSQL with the server its tests start (initdb/pg_ctl)
  libsqlite3-dev libpq-dev postgresql
  # XMPP (tools/xmpp/, the prekey server component, tests/xmpp/): libstrophe,
  # a prosody the tests start, openssl for their self-signed certificate
  libstrophe-dev prosody openssl ssl-cert
  # the real XMPP clients' OTR (libotr 4.1.1) against `otr chat --xmpp`,
  # driven under tmux (tests/xmpp/xmpp_clients_e2e_test.py)
  profanity mcabber
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages and not root; run as root or install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The PostgreSQL storage tests start a throwaway cluster, which refuses to run
# as root: as root they run it as this unprivileged user (they also create it
# when it is missing).
if [[ $(id -u) -eq 0 ]] && ! id otrtest >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin otrtest
fi
