// Modular exponentiation in the RFC 3526 groups of OTR: the 1536-bit group of
// v2/v3 (DH key exchange, SMP) and the 3072-bit group of v4.
#include <string>

#include "bench/crypto_benchmarks.h"
#include "crypto/modp_group.h"
#include "crypto/secret_bytes.h"

namespace otr::bench {
namespace {

using crypto::Backend;
using crypto::GetModpGroup;
using crypto::ModpGroup;
using crypto::ModpGroupId;
using crypto::SecretBytes;

std::string GroupBits(const ModpGroup& group) { return std::to_string(group.p.size() * 8); }

// A random element of the group: g^r mod p for a random full-size r.
Bytes RandomGroupElement(const Backend& backend, const ModpGroup& group) {
  auto element = backend.ModExpPublic(group.g, RandomBytes(group.p.size()), group.p);
  return element.ok() ? *element : Bytes{};
}

// base^x mod p with a secret x of `exponent_bytes` (constant time), for a
// random group element as the base: the generic constant-time modular
// exponentiation, at the exponent sizes of key generation (40 bytes for
// v2/v3 "at least 320 bits", 80 bytes for v4) and of SMP (full size). The
// primitive floors of bench/report.py count exponentiations at this price.
// (With base g the openssl backend takes its fixed-base table for 40-byte
// exponents; BM_ModExpGenerator measures that.)
void RegisterModExp(Backends backends, ModpGroupId id, size_t exponent_bytes) {
  const ModpGroup& group = GetModpGroup(id);
  RegisterPerBackend(
      backends, "BM_ModExp", GroupBits(group) + "/exp" + std::to_string(exponent_bytes * 8),
      benchmark::kMicrosecond, [&group, exponent_bytes](benchmark::State& state, const Backend& b) {
        const Bytes base = RandomGroupElement(b, group);
        const SecretBytes exponent(RandomBytes(exponent_bytes));
        if (base.empty()) state.SkipWithError("could not make a group element");
        for (auto _ : state) {
          auto result = b.ModExp(base, exponent, group.p);
          if (!result.ok()) {
            state.SkipWithError("ModExp failed");
            break;
          }
          benchmark::DoNotOptimize(result);
        }
      });
}

// g^x mod p with a secret 320-bit x: D-H key generation as the backend does
// it (GenerateDhKeyPair), fixed-base precomputation included where a
// backend has one.
void RegisterModExpGenerator(Backends backends) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp1536);
  RegisterPerBackend(backends, "BM_ModExpGenerator", GroupBits(group) + "/exp320",
                     benchmark::kMicrosecond, [&group](benchmark::State& state, const Backend& b) {
                       const SecretBytes exponent(RandomBytes(group.secret_exponent_size));
                       for (auto _ : state) {
                         auto result = b.ModExp(group.g, exponent, group.p);
                         if (!result.ok()) {
                           state.SkipWithError("ModExp failed");
                           break;
                         }
                         benchmark::DoNotOptimize(result);
                       }
                     });
}

// base^e mod p with a public base and exponent, both full size (the
// variable-time path used to check a peer's values).
void RegisterModExpPublic(Backends backends, ModpGroupId id) {
  const ModpGroup& group = GetModpGroup(id);
  const std::string bits = GroupBits(group);
  RegisterPerBackend(backends, "BM_ModExpPublic", bits + "/exp" + bits, benchmark::kMicrosecond,
                     [&group](benchmark::State& state, const Backend& b) {
                       const Bytes base = RandomGroupElement(b, group);
                       const Bytes exponent = RandomBytes(group.p.size());
                       if (base.empty()) {
                         state.SkipWithError("could not make a group element");
                       }
                       for (auto _ : state) {
                         auto result = b.ModExpPublic(base, exponent, group.p);
                         if (!result.ok()) {
                           state.SkipWithError("ModExpPublic failed");
                           break;
                         }
                         benchmark::DoNotOptimize(result);
                       }
                     });
}

// base1^e1 * base2^e2 mod p with secret full-size exponents and random
// bases: Backend::ModExp2, the simultaneous exponentiation of SMP's proof
// products (compare with twice BM_ModExp/1536/exp1536).
void RegisterModExp2(Backends backends) {
  const ModpGroup& group = GetModpGroup(ModpGroupId::kModp1536);
  RegisterPerBackend(backends, "BM_ModExp2", GroupBits(group) + "/exp1536", benchmark::kMicrosecond,
                     [&group](benchmark::State& state, const Backend& b) {
                       const Bytes base1 = RandomGroupElement(b, group);
                       const Bytes base2 = RandomGroupElement(b, group);
                       const SecretBytes e1(RandomBytes(group.p.size()));
                       const SecretBytes e2(RandomBytes(group.p.size()));
                       if (base1.empty() || base2.empty()) {
                         state.SkipWithError("could not make a group element");
                       }
                       for (auto _ : state) {
                         auto result = b.ModExp2(base1, e1, base2, e2, group.p);
                         if (!result.ok()) {
                           state.SkipWithError("ModExp2 failed");
                           break;
                         }
                         benchmark::DoNotOptimize(result);
                       }
                     });
}

// DhSharedSecret: the membership check of the peer's g^y, then (g^y)^x with
// a freshly generated secret x (otr v3 spec, "Authenticated Key Exchange").
void RegisterDhSharedSecret(Backends backends, ModpGroupId id) {
  const ModpGroup& group = GetModpGroup(id);
  RegisterPerBackend(backends, "BM_DhSharedSecret", GroupBits(group), benchmark::kMicrosecond,
                     [&group](benchmark::State& state, const Backend& b) {
                       const Bytes peer_public = RandomGroupElement(b, group);
                       const SecretBytes secret(RandomBytes(group.secret_exponent_size));
                       if (peer_public.empty()) {
                         state.SkipWithError("could not make a group element");
                       }
                       for (auto _ : state) {
                         auto shared = crypto::DhSharedSecret(b, group, secret, peer_public);
                         if (!shared.ok()) {
                           state.SkipWithError("DhSharedSecret failed");
                           break;
                         }
                         benchmark::DoNotOptimize(shared);
                       }
                     });
}

}  // namespace

void RegisterModExpBenchmarks(Backends backends) {
  RegisterModExp(backends, ModpGroupId::kModp1536, 40);
  RegisterModExp(backends, ModpGroupId::kModp1536, 192);
  RegisterModExp(backends, ModpGroupId::kModp3072, 80);
  RegisterModExpGenerator(backends);
  RegisterModExpPublic(backends, ModpGroupId::kModp1536);
  RegisterModExp2(backends);
  RegisterDhSharedSecret(backends, ModpGroupId::kModp1536);
  // OTRv4's 3072-bit DH (otrv4.md "3072-bit Diffie-Hellman Parameters", RFC
  // 3526 group 15): the peer's value checked, then raised to an 80-byte x.
  RegisterDhSharedSecret(backends, ModpGroupId::kModp3072);
}

}  // namespace otr::bench
