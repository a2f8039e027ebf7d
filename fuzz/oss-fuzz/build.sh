#!/bin/bash -eu
# OSS-Fuzz build script: compiles every fuzz target with OSS-Fuzz's
# compilers and flags ($CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE), no
# Bazel, and puts into $OUT each fuzzer with its seed corpus
# (<name>_seed_corpus.zip), dictionary (<name>.dict) and options
# (<name>.options). fuzz/check_oss_fuzz_build.sh runs it outside Docker.
#
# Sources, by rule rather than by list, so new library files need no edit:
#   library: every .cc under base/ crypto/ protocol/ except *_test.cc and
#            *_main.cc (crypto/testing/ holds the seeded generator the
#            stateful fuzzers replay with);
#   support: fuzz/support/*.cc except write_*seeds.cc (seed generators) and
#            real_crypto.cc (linked into the *_realcrypto variants only);
#   fuzzers: fuzz/*_fuzzer.cc, one binary each; the stateful ones (which
#            run over crypto/fuzzing/'s stand-in backend, OSS-Fuzz's CFLAGS
#            defining FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) also as
#            <name>_realcrypto with real crypto (decision 0027), with the
#            same seeds, dictionary and options.
#
# Two local options (unset on OSS-Fuzz: every target, both variants), for
# fuzz/coverage_report.sh on a slow machine:
#   OTR_FUZZERS=REGEX     build only the fuzzers whose name matches the
#                         extended regex (e.g. '^(v4_|prekey_|libotr_ng_)');
#   OTR_NO_REALCRYPTO=1   skip the *_realcrypto variants.

ROOT="${OTR_SRC:-$SRC/otr}"
cd "$ROOT"

OBJ="${WORK:-$(mktemp -d)}/otr-objects"
rm -rf "$OBJ"
mkdir -p "$OBJ"

# C++20 as in .bazelrc; libdecaf's headers live in /usr/include/decaf.
# (Word-split on purpose: like $CXXFLAGS, a flag list without spaces inside.)
OTR_FLAGS="-std=c++20 -I$ROOT -isystem /usr/include/decaf"
# Fuzzing builds (ASan, UBSan, MSan) optimise at -O2 after OSS-Fuzz's -O1:
# every check and all coverage of the code under test stay, and the stateful
# targets run about a fifth faster (docs/decisions/0054). Coverage and
# introspector builds keep OSS-Fuzz's flags as they are.
# Under libFuzzer they also leave the harness, the standard library's
# containers and our Result and Box out of the coverage feedback
# (oss-fuzz/coverage_ignorelist.txt, clang's SanitizerCoverage; AFL++
# instruments with its own pass and lists: docs/decisions/0056).
case "${SANITIZER:-}" in
  address | undefined | memory)
    OTR_FLAGS+=" -O2"
    if [ "${FUZZING_ENGINE:-libfuzzer}" = libfuzzer ]; then
      OTR_FLAGS+=" -fsanitize-coverage-ignorelist=$ROOT/fuzz/oss-fuzz/coverage_ignorelist.txt"
    fi
    ;;
esac
SYSTEM_LIBS="-lcrypto -lgcrypt -lgpg-error -ldecaf -lsodium"

mapfile -t LIBRARY < <(find base crypto protocol -name '*.cc' \
  ! -name '*_test.cc' ! -name '*_main.cc' | sort)
# The key store of the otr program, for v4_key_files_fuzzer.
LIBRARY+=(tools/keystore.cc tools/keystore_v4.cc)
# The prekey server program's readers and the JID helpers, for
# prekey_program_config_fuzzer, prekey_key_file_fuzzer and xmpp_jid_fuzzer.
LIBRARY+=(tools/prekey_server/program_config.cc tools/prekey_server/key_file.cc tools/xmpp/jid.cc)
# The otr program's text readers, for tools_readers_fuzzer (IRC lines, chat
# input and options, `otr parse`, the forgery toolkit, terminal text).
LIBRARY+=(tools/irc.cc tools/chat_options.cc tools/terminal_text.cc tools/forgery.cc
  tools/parse_prekey.cc tools/cmd_parse.cc tools/cmd_parse_v4.cc tools/toolkit_cli.cc tools/args.cc)
mapfile -t SUPPORT < <(find fuzz/support -name '*.cc' ! -name 'write_*seeds.cc' \
  ! -name 'real_crypto.cc' | sort)
mapfile -t FUZZERS < <(find fuzz -maxdepth 1 -name '*_fuzzer.cc' | sort)

# Object names keep the path (crypto/openssl/dsa.cc -> crypto_openssl_dsa.o).
compile() {
  local src="$1"
  local obj
  obj="$OBJ/$(echo "${src%.cc}" | tr '/' '_').o"
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS $OTR_FLAGS -c "$src" -o "$obj"
}
export -f compile
export CXX CXXFLAGS OBJ OTR_FLAGS

# shellcheck disable=SC2016 # $1 expands in the child shell
printf '%s\n' "${LIBRARY[@]}" "${SUPPORT[@]}" |
  xargs -P "$(nproc)" -I{} bash -c 'compile "$1"' _ {}

rm -f "$OBJ/libotr_fuzz.a"
ar rcs "$OBJ/libotr_fuzz.a" "$OBJ"/*.o
compile fuzz/support/real_crypto.cc  # outside the archive: its initializer must link

# The stateful targets: <name> over the stand-in backend, <name>_realcrypto.
is_stateful() {
  case "$1" in
    session_ake_fuzzer | session_established_fuzzer | smp_fuzzer | v4_session_* | prekey_server_fuzzer) return 0 ;;
    *) return 1 ;;
  esac
}

# Each fuzzer's source is compiled once, in parallel as the library is; its
# variants ("NAME VARIANT" in LINKS) link that object.
SELECTED=()
LINKS=()
for src in "${FUZZERS[@]}"; do
  name="$(basename "${src%.cc}")"
  [[ "$name" =~ ${OTR_FUZZERS:-.} ]] || continue
  SELECTED+=("$src")
  LINKS+=("$name $name")
  if is_stateful "$name" && [ -z "${OTR_NO_REALCRYPTO:-}" ]; then
    LINKS+=("$name ${name}_realcrypto")
  fi
done
if ((${#SELECTED[@]})); then
  # shellcheck disable=SC2016 # $1 expands in the child shell
  printf '%s\n' "${SELECTED[@]}" | xargs -P "$(nproc)" -I{} bash -c 'compile "$1"' _ {}
fi

# link NAME VARIANT: VARIANT is NAME or NAME_realcrypto.
link() {
  local extra=()
  [ "$2" != "$1" ] && extra=("$OBJ/fuzz_support_real_crypto.o")
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS $OTR_FLAGS "$OBJ/fuzz_$1.o" "${extra[@]}" -o "$OUT/$2" \
    $LIB_FUZZING_ENGINE "$OBJ/libotr_fuzz.a" $SYSTEM_LIBS
}
export -f link
export LIB_FUZZING_ENGINE OUT SYSTEM_LIBS
if ((${#LINKS[@]})); then
  # shellcheck disable=SC2016 # $1 and $2 expand in the child shell
  printf '%s\n' "${LINKS[@]}" | xargs -P "$(nproc)" -L1 bash -c 'link "$1" "$2"' _
fi

for src in "${SELECTED[@]}"; do
  name="$(basename "${src%.cc}")"
  corpus="fuzz/corpus/$name"
  if [ -d "$corpus" ]; then
    rm -f "$OUT/${name}_seed_corpus.zip"
    (cd "$corpus" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
  # Dictionaries (fuzz/dicts/): by the layer a fuzzer reads.
  case "$name" in
    v3_message_fuzzer | v1_message_fuzzer | pubkey_fuzzer) dicts=(messages) ;;
    tlv_fuzzer | smp_tlv_fuzzer | smp_records_fuzzer) dicts=(tlv) ;;
    privkey_file_fuzzer | fingerprint_file_fuzzer | instag_file_fuzzer | sexp_fuzzer) dicts=(store) ;;
    session_* | smp_fuzzer) dicts=(otr messages tlv) ;;
    v4_session_*) dicts=(otr v4 tlv) ;;
    *) dicts=(otr) ;;
  esac
  rm -f "$OUT/$name.dict"
  for dict in "${dicts[@]}"; do
    grep -v '^#' "fuzz/dicts/$dict.dict" >>"$OUT/$name.dict"
  done
  if [ -f "fuzz/oss-fuzz/$name.options" ]; then
    cp "fuzz/oss-fuzz/$name.options" "$OUT/$name.options"
  fi
  # The real-crypto variant: the same seeds, dictionary and options.
  if is_stateful "$name" && [ -z "${OTR_NO_REALCRYPTO:-}" ]; then
    real="${name}_realcrypto"
    [ -f "$OUT/${name}_seed_corpus.zip" ] && cp "$OUT/${name}_seed_corpus.zip" "$OUT/${real}_seed_corpus.zip"
    cp "$OUT/$name.dict" "$OUT/$real.dict"
    [ -f "$OUT/$name.options" ] && cp "$OUT/$name.options" "$OUT/$real.options"
  fi
done
