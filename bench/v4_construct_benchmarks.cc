// The OTRv4 constructs of protocol/v4/crypto on every backend in one run
// (issue 16; //bench:v4_bench, and //bench:otr_bench prices the v4 floors
// with them): RSig and RVrf (otrv4.md, Appendix "Ring
// Signature Authentication"), KDF calls, ECDH/DH key generation, the
// 3072-bit group check and k_dh. Cases are named `<op>/<backend>/<params>`
// like //bench:crypto_bench's, so bench/compare_backends.py makes the same
// table from the JSON. The Ed448 point operations themselves are in
// crypto_bench (ed448_bench.cc).
#include "bench/v4_construct_benchmarks.h"

#include <benchmark/benchmark.h>

#include <array>

#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/hash_to_scalar.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/profile/client_profile.h"

namespace otr::bench {
namespace {

using crypto::Backend;
using crypto::SecretBytes;

// About the size of the t that the DAKE signs (a byte, three 64-byte KDF
// outputs, two POINTs, an MPI of 384 bytes, ...).
constexpr size_t kAuthMessageSize = 700;

struct RingSetup {
  std::array<SecretBytes, 3> secrets;
  v4::RingEncodings keys{};
};

bool MakeRing(const Backend& backend, RingSetup& setup) {
  crypto::OsRandom random;
  for (size_t i = 0; i < 3; ++i) {
    Result<v4::EcdhKeyPair> pair = v4::GenerateEcdh(backend, random);
    if (!pair.ok()) return false;
    setup.secrets[i] = pair->secret();
    setup.keys[i] = backend.Ed448Encode(pair->pub());
  }
  return true;
}

Result<v4::Ring> DecodeRing(const Backend& backend, const v4::RingEncodings& keys) {
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point a1, backend.Ed448Decode(keys[0]));
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point a2, backend.Ed448Decode(keys[1]));
  OTR_ASSIGN_OR_RETURN(const crypto::Ed448Point a3, backend.Ed448Decode(keys[2]));
  return v4::Ring{a1, a2, a3};
}

// RSig with fresh random values (nine 57-byte draws hashed and pruned),
// the ring already decoded, as the DAKE has it.
void BenchRSig(benchmark::State& state, const Backend& backend) {
  RingSetup setup;
  Result<v4::Ring> ring = MakeRing(backend, setup)
                              ? DecodeRing(backend, setup.keys)
                              : Result<v4::Ring>(MakeError(ErrorCode::kBackendFailure, "keys"));
  if (!ring.ok()) {
    state.SkipWithError("key generation failed");
    return;
  }
  const Bytes m = RandomBytes(kAuthMessageSize);
  crypto::OsRandom random;
  for (auto _ : state) {
    Result<v4::RingSigma> sigma = v4::RSig(backend, setup.secrets[1], *ring, m, random);
    if (!sigma.ok()) {
      state.SkipWithError("RSig failed");
      break;
    }
    benchmark::DoNotOptimize(sigma);
  }
}

// RVrf from the wire: the three keys decoded and validated, the scalars
// checked, three commitments and the hash.
void BenchRVrf(benchmark::State& state, const Backend& backend) {
  RingSetup setup;
  Result<v4::Ring> ring = MakeRing(backend, setup)
                              ? DecodeRing(backend, setup.keys)
                              : Result<v4::Ring>(MakeError(ErrorCode::kBackendFailure, "keys"));
  const Bytes m = RandomBytes(kAuthMessageSize);
  crypto::OsRandom random;
  Result<v4::RingSigma> sigma = ring.ok() ? v4::RSig(backend, setup.secrets[0], *ring, m, random)
                                          : Result<v4::RingSigma>(ring.error());
  if (!sigma.ok() || !v4::RVrf(backend, setup.keys, *sigma, m).ok()) {
    state.SkipWithError("RSig made no verifying signature");
    return;
  }
  for (auto _ : state) {
    Status status = v4::RVrf(backend, setup.keys, *sigma, m);
    if (!status.ok()) {
      state.SkipWithError("RVrf failed");
      break;
    }
    benchmark::DoNotOptimize(status);
  }
}

// KDF(usage_message_key || chain_key, 64): one call of the ratchet.
void BenchKdf(benchmark::State& state, const Backend& backend) {
  const SecretBytes chain_key(RandomBytes(64));
  for (auto _ : state) {
    SecretBytes k = v4::Kdf(backend, v4::Usage::kMessageKey, {chain_key.view()}, 64);
    benchmark::DoNotOptimize(k);
  }
}

// A Client Profile as a client makes and renews it (otrv4.md "Create a
// Client Profile Signature"): EdDSA over the profile's fields with sym_h.
Result<v4::ClientProfile> MakeProfile(const Backend& backend, const SecretBytes& sym_h) {
  crypto::OsRandom random;
  OTR_ASSIGN_OR_RETURN(v4::EcdhKeyPair forging, v4::GenerateEcdh(backend, random));
  v4::profile::ClientProfileParams params{.owner_instance_tag = 0x101,
                                          .forging_key = forging.pub(),
                                          .versions = "34",
                                          .expiration = 4102444800};  // 2100-01-01
  return v4::profile::CreateClientProfile(backend, sym_h, params, random);
}

void BenchSignClientProfile(benchmark::State& state, const Backend& backend) {
  const SecretBytes sym_h(RandomBytes(57));
  Result<v4::ClientProfile> profile = MakeProfile(backend, sym_h);
  if (!profile.ok()) {
    state.SkipWithError("CreateClientProfile failed");
    return;
  }
  for (auto _ : state) {
    Status status = v4::profile::SignClientProfile(backend, sym_h, *profile);
    benchmark::DoNotOptimize(status);
  }
}

// "Validating a Client Profile": every rule, the signature included.
void BenchValidateClientProfile(benchmark::State& state, const Backend& backend) {
  const SecretBytes sym_h(RandomBytes(57));
  Result<v4::ClientProfile> profile = MakeProfile(backend, sym_h);
  if (!profile.ok() || !v4::profile::ValidateClientProfile(backend, *profile, 0x101, 0).ok()) {
    state.SkipWithError("the profile does not validate");
    return;
  }
  for (auto _ : state) {
    v4::profile::ProfileStatus status =
        v4::profile::ValidateClientProfile(backend, *profile, 0x101, 0);
    benchmark::DoNotOptimize(status);
  }
}

void BenchHashToScalar(benchmark::State& state, const Backend& backend) {
  const Bytes d = RandomBytes(kAuthMessageSize);
  for (auto _ : state) {
    SecretBytes s = v4::HashToScalar(backend, v4::Usage::kAuth, {d});
    benchmark::DoNotOptimize(s);
  }
}

void BenchGenerateEcdh(benchmark::State& state, const Backend& backend) {
  crypto::OsRandom random;
  for (auto _ : state) {
    Result<v4::EcdhKeyPair> pair = v4::GenerateEcdh(backend, random);
    if (!pair.ok()) {
      state.SkipWithError("GenerateEcdh failed");
      break;
    }
    benchmark::DoNotOptimize(pair);
  }
}

// generateDH(): g3 ^ r mod dh_p with an 80-byte r.
void BenchGenerateDh(benchmark::State& state, const Backend& backend) {
  crypto::OsRandom random;
  for (auto _ : state) {
    Result<crypto::DhKeyPair> pair = v4::GenerateDh(backend, random);
    if (!pair.ok()) {
      state.SkipWithError("GenerateDh failed");
      break;
    }
    benchmark::DoNotOptimize(pair);
  }
}

// "Verifying that an integer is in the DH group": range, then x ^ dh_q.
void BenchCheckDhGroupElement(benchmark::State& state, const Backend& backend) {
  crypto::OsRandom random;
  Result<crypto::DhKeyPair> peer = v4::GenerateDh(backend, random);
  if (!peer.ok() || !v4::CheckDhGroupElement(backend, peer->pub).ok()) {
    state.SkipWithError("GenerateDh failed");
    return;
  }
  for (auto _ : state) {
    Status status = v4::CheckDhGroupElement(backend, peer->pub);
    benchmark::DoNotOptimize(status);
  }
}

// k_dh: the check above, then (g3^y)^x with an 80-byte x.
void BenchDhSharedSecret(benchmark::State& state, const Backend& backend) {
  crypto::OsRandom random;
  Result<crypto::DhKeyPair> ours = v4::GenerateDh(backend, random);
  Result<crypto::DhKeyPair> peer = v4::GenerateDh(backend, random);
  if (!ours.ok() || !peer.ok()) {
    state.SkipWithError("GenerateDh failed");
    return;
  }
  for (auto _ : state) {
    Result<SecretBytes> k = v4::DhSharedSecret(backend, ours->secret, peer->pub);
    if (!k.ok()) {
      state.SkipWithError("DhSharedSecret failed");
      break;
    }
    benchmark::DoNotOptimize(k);
  }
}

}  // namespace

void RegisterV4ConstructBenchmarks(Backends backends) {
  constexpr auto kUs = benchmark::kMicrosecond;
  RegisterPerBackend(backends, "BM_V4RSig", "msg700", kUs, BenchRSig);
  RegisterPerBackend(backends, "BM_V4RVrf", "msg700", kUs, BenchRVrf);
  RegisterPerBackend(backends, "BM_V4Kdf", "64to64", kUs, BenchKdf);
  RegisterPerBackend(backends, "BM_V4HashToScalar", "msg700", kUs, BenchHashToScalar);
  RegisterPerBackend(backends, "BM_V4GenerateEcdh", "", kUs, BenchGenerateEcdh);
  RegisterPerBackend(backends, "BM_V4GenerateDh", "3072/r80", kUs, BenchGenerateDh);
  RegisterPerBackend(backends, "BM_V4CheckDhGroupElement", "3072", kUs, BenchCheckDhGroupElement);
  RegisterPerBackend(backends, "BM_V4DhSharedSecret", "3072", kUs, BenchDhSharedSecret);
  RegisterPerBackend(backends, "BM_V4SignClientProfile", "", kUs, BenchSignClientProfile);
  RegisterPerBackend(backends, "BM_V4ValidateClientProfile", "", kUs, BenchValidateClientProfile);
}

}  // namespace otr::bench
