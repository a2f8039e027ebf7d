// Machinery that is not code under test, left out of a fuzzing build's
// coverage instrumentation: its loops and comparisons tell libFuzzer nothing
// about the protocol, only add noise to the feedback and cost to every input
// (decisions 0040, 0052): the fuzzing stand-in's arithmetic and hash, the
// fuzzers' random generator, the SecretBytes and InlineBytes containers
// (decision 0055). What the protocol decides stays instrumented. The
// OSS-Fuzz builds also leave out, by name, the harness, the standard
// library's containers, Result and Box (fuzz/oss-fuzz/coverage_ignorelist.txt,
// decision 0056).
// OTR_NO_COVERAGE is also not inlined: clang instruments an inlined body as
// part of its caller.
#ifndef OTR_BASE_NO_COVERAGE_H_
#define OTR_BASE_NO_COVERAGE_H_

#if defined(__clang__)
#define OTR_NO_COVERAGE __attribute__((noinline, no_sanitize("coverage")))
#define OTR_NO_COVERAGE_INLINE __attribute__((no_sanitize("coverage")))
#else
#define OTR_NO_COVERAGE
#define OTR_NO_COVERAGE_INLINE
#endif

#endif  // OTR_BASE_NO_COVERAGE_H_
