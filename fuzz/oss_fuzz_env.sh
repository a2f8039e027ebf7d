#!/bin/bash
# Sourced by fuzz/check_oss_fuzz_build.sh and fuzz/measure_rates.sh: the
# variables and flags OSS-Fuzz sets for fuzz/oss-fuzz/build.sh
# (infra/base-images/base-clang and its sanitizer table), without Docker.
#
#   oss_fuzz_env CONFIG DIR   exports SRC, WORK, OUT under DIR (with this
#                             checkout linked as $SRC/otr) and the compiler
#                             flags of CONFIG: asan (ASan + libFuzzer),
#                             ubsan (UBSan + libFuzzer) or afl (AFL++ driver
#                             with ASan); returns 1 for another CONFIG

# (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION is in OSS-Fuzz's CFLAGS too: the
# stateful targets' stand-in crypto, decision 0027.)
OSS_FUZZ_COMMON="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
OSS_FUZZ_ASAN="-fsanitize=address -fsanitize-address-use-after-scope"
# As there, unsigned-integer-overflow is checked but recoverable and silenced
# at run time (UBSAN_OPTIONS=silence_unsigned_overflow=1): unsigned
# arithmetic wraps by definition, and hashes and counters rely on it.
OSS_FUZZ_UBSAN_FATAL="array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr"
OSS_FUZZ_UBSAN="-fsanitize=$OSS_FUZZ_UBSAN_FATAL,unsigned-integer-overflow -fno-sanitize-recover=$OSS_FUZZ_UBSAN_FATAL"

OSS_FUZZ_PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

oss_fuzz_env() {
  local config="$1" dir="$2"
  export SRC="$dir/src" WORK="$dir/work" OUT="$dir/out"
  mkdir -p "$SRC" "$WORK" "$OUT"
  ln -sfn "$OSS_FUZZ_PROJECT" "$SRC/otr"
  export CC=clang CXX=clang++ FUZZING_LANGUAGE=c++ ARCHITECTURE=x86_64
  case "$config" in
    asan)
      export SANITIZER=address FUZZING_ENGINE=libfuzzer
      export CFLAGS="$OSS_FUZZ_COMMON $OSS_FUZZ_ASAN -fsanitize=fuzzer-no-link"
      export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
      ;;
    ubsan)
      export SANITIZER=undefined FUZZING_ENGINE=libfuzzer
      export CFLAGS="$OSS_FUZZ_COMMON $OSS_FUZZ_UBSAN -fsanitize=fuzzer-no-link"
      export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
      ;;
    afl)
      export SANITIZER=address FUZZING_ENGINE=afl
      export CC=afl-clang-fast CXX=afl-clang-fast++
      export CFLAGS="$OSS_FUZZ_COMMON $OSS_FUZZ_ASAN"
      export LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
      ;;
    *)
      return 1
      ;;
  esac
  export CXXFLAGS="$CFLAGS"
}
