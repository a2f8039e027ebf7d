// Ed448-Goldilocks: the group operations of OTR v4 (otrv4.md, "Elliptic Curve
// Operations") and EdDSA signatures (RFC 8032 section 5.2).
#include "bench/crypto_benchmarks.h"
#include "crypto/secret_bytes.h"

namespace otr::bench {
namespace {

using crypto::Backend;
using crypto::Ed448Point;
using crypto::SecretBytes;

constexpr size_t kMessageSize = 64;

// A uniform scalar: 114 random bytes reduced mod q.
SecretBytes RandomScalar(const Backend& backend) {
  return backend.Ed448ScalarReduce(RandomBytes(2 * crypto::kEd448ScalarSize));
}

Ed448Point RandomPoint(const Backend& backend) {
  return backend.Ed448MulBase(RandomScalar(backend));
}

void BenchMulBase(benchmark::State& state, const Backend& backend) {
  const SecretBytes scalar = RandomScalar(backend);
  for (auto _ : state) {
    Ed448Point p = backend.Ed448MulBase(scalar);
    benchmark::DoNotOptimize(p);
  }
}

void BenchMul(benchmark::State& state, const Backend& backend) {
  const Ed448Point point = RandomPoint(backend);
  const SecretBytes scalar = RandomScalar(backend);
  for (auto _ : state) {
    Ed448Point p = backend.Ed448Mul(point, scalar);
    benchmark::DoNotOptimize(p);
  }
}

// a * P + b * Q, constant time (decision 0033); compare with 2 x Mul + Add
// + Encode, what it replaces (its result carries the encoding).
void BenchMulAdd(benchmark::State& state, const Backend& backend) {
  const Ed448Point p = RandomPoint(backend), q = RandomPoint(backend);
  const SecretBytes a = RandomScalar(backend), b = RandomScalar(backend);
  for (auto _ : state) {
    Ed448Point sum = backend.Ed448MulAdd(p, a, q, b);
    benchmark::DoNotOptimize(sum);
  }
}

// a * B + b * P for public scalars (RVrf's commitments).
void BenchMulBaseAddPublic(benchmark::State& state, const Backend& backend) {
  const Ed448Point p = RandomPoint(backend);
  const SecretBytes a = RandomScalar(backend), b = RandomScalar(backend);
  for (auto _ : state) {
    Ed448Point sum = backend.Ed448MulBaseAddPublic(a.view(), b.view(), p);
    benchmark::DoNotOptimize(sum);
  }
}

void BenchAdd(benchmark::State& state, const Backend& backend) {
  const Ed448Point a = RandomPoint(backend);
  const Ed448Point b = RandomPoint(backend);
  for (auto _ : state) {
    Ed448Point p = backend.Ed448Add(a, b);
    benchmark::DoNotOptimize(p);
  }
}

// The wire form of a point that does not carry it (a sum): what sending a
// computed point costs.
void BenchEncode(benchmark::State& state, const Backend& backend) {
  const Ed448Point sum = backend.Ed448Add(RandomPoint(backend), RandomPoint(backend));
  for (auto _ : state) {
    crypto::Ed448Encoding encoding = backend.Ed448Encode(sum);
    benchmark::DoNotOptimize(encoding);
  }
}

// Decoding validates (canonical, on the curve, in the subgroup, not the
// identity), as every point received from a peer must be.
void BenchDecode(benchmark::State& state, const Backend& backend) {
  const crypto::Ed448Encoding encoding = backend.Ed448Encode(RandomPoint(backend));
  if (!backend.Ed448Decode(encoding).ok()) {
    state.SkipWithError("Ed448Decode rejected a valid point");
    return;
  }
  for (auto _ : state) {
    auto decoded = backend.Ed448Decode(encoding);
    if (!decoded.ok()) {
      state.SkipWithError("Ed448Decode failed");
      break;
    }
    benchmark::DoNotOptimize(decoded);
  }
}

void BenchSign(benchmark::State& state, const Backend& backend) {
  const SecretBytes seed(RandomBytes(crypto::kEd448SeedSize));
  const Bytes message = RandomBytes(kMessageSize);
  for (auto _ : state) {
    auto signature = backend.Ed448Sign(seed, message);
    if (!signature.ok()) {
      state.SkipWithError("Ed448Sign failed");
      break;
    }
    benchmark::DoNotOptimize(signature);
  }
}

void BenchVerify(benchmark::State& state, const Backend& backend) {
  const SecretBytes seed(RandomBytes(crypto::kEd448SeedSize));
  const Bytes message = RandomBytes(kMessageSize);
  auto public_key = backend.Ed448DerivePublicKey(seed);
  auto signature = backend.Ed448Sign(seed, message);
  if (!public_key.ok() || !signature.ok() ||
      !backend.Ed448Verify(*public_key, message, *signature).ok()) {
    state.SkipWithError("Ed448Sign made no verifying signature");
    return;
  }
  for (auto _ : state) {
    auto status = backend.Ed448Verify(*public_key, message, *signature);
    if (!status.ok()) {
      state.SkipWithError("Ed448Verify failed");
      break;
    }
    benchmark::DoNotOptimize(status);
  }
}

}  // namespace

void RegisterEd448Benchmarks(Backends backends) {
  constexpr auto kUs = benchmark::kMicrosecond;
  RegisterPerBackend(backends, "BM_Ed448MulBase", "", kUs, BenchMulBase);
  RegisterPerBackend(backends, "BM_Ed448Mul", "", kUs, BenchMul);
  RegisterPerBackend(backends, "BM_Ed448MulAdd", "", kUs, BenchMulAdd);
  RegisterPerBackend(backends, "BM_Ed448MulBaseAddPublic", "", kUs, BenchMulBaseAddPublic);
  RegisterPerBackend(backends, "BM_Ed448Add", "", kUs, BenchAdd);
  RegisterPerBackend(backends, "BM_Ed448Decode", "", kUs, BenchDecode);
  RegisterPerBackend(backends, "BM_Ed448Encode", "", kUs, BenchEncode);
  RegisterPerBackend(backends, "BM_Ed448Sign", "msg64", kUs, BenchSign);
  RegisterPerBackend(backends, "BM_Ed448Verify", "msg64", kUs, BenchVerify);
}

}  // namespace otr::bench
