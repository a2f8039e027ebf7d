"""otr_fuzz_target: a libFuzzer target plus a test that replays its corpus.

With --config=fuzz the binary links libFuzzer (-fsanitize=fuzzer); otherwise
it links replay_main.cc, so `bazel test //...` runs every seed and every
crash reproducer found so far through the decoder.
"""

def _engine_deps(deps):
    """deps plus replay_main outside --config=fuzz (libFuzzer's main there)."""
    return deps + select({
        "//fuzz:fuzzing": [],
        "//conditions:default": ["//fuzz:replay_main"],
    })

def _engine_linkopts():
    return select({
        "//fuzz:fuzzing": ["-fsanitize=fuzzer"],
        "//conditions:default": [],
    })

def otr_fuzz_target(name, srcs, deps = [], corpus = None, dict = None, testonly = False, size = "small"):
    """Declares `name` (the fuzzer) and `name_corpus_test`.

    Args:
      name: target name; the corpus lives in fuzz/corpus/<name>/ by default.
      srcs: sources defining LLVMFuzzerTestOneInput.
      deps: libraries under test.
      corpus: files of the seed corpus (default: glob of corpus/<name>/*).
      dict: optional libFuzzer dictionary file.
      testonly: set for targets using test-only code (deterministic randomness).
      size: of the corpus test (stateful targets with many seeds: "medium").
    """
    if corpus == None:
        corpus = native.glob(["corpus/%s/*" % name])

    # The harness is compiled once per configuration: the fuzzer, its corpus
    # test and its real-crypto variant link the same object.
    native.cc_library(
        name = name + "_harness",
        srcs = srcs,
        testonly = testonly,
        deps = deps,
        alwayslink = True,
        visibility = ["//visibility:private"],
    )
    native.cc_binary(
        name = name,
        testonly = testonly,
        deps = _engine_deps([":" + name + "_harness"]),
        linkopts = _engine_linkopts(),
    )
    native.cc_test(
        name = name + "_corpus_test",
        deps = [":" + name + "_harness", "//fuzz:replay_main"],
        data = corpus + ([dict] if dict else []),
        args = ["$(location %s)" % f for f in corpus],
        size = size,
    )

def otr_realcrypto_variant(name, deps):
    """Declares `name`_realcrypto: the stateful fuzzer `name` with real crypto.

    In a fuzzing build (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) the stateful
    targets run over the stand-in backend (fuzz/support/fuzz_backend.h); this
    variant links support/real_crypto.cc, which selects openssl, for a
    campaign's last stretch. It shares `name`'s corpus, dictionary and
    options, and has no corpus test of its own (outside a fuzzing build it
    is `name` again).

    Args:
      name: the stateful fuzz target (fuzz/<name>.cc).
      deps: its deps.
    """
    native.cc_binary(
        name = name + "_realcrypto",
        srcs = ["support/real_crypto.cc"],
        testonly = True,
        deps = _engine_deps(deps + [":" + name + "_harness"]),
        linkopts = _engine_linkopts(),
    )
