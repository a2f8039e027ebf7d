#include <string>

#include "bench/crypto_benchmarks.h"
#include "crypto/modp_group.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"

namespace otr::bench {

void RegisterPerBackend(Backends backends, std::string_view op, std::string_view params,
                        benchmark::TimeUnit unit, const BackendBenchmark& fn) {
  for (const crypto::Backend* backend : backends) {
    std::string name(op);
    name += '/';
    name += backend->name();
    if (!params.empty()) {
      name += '/';
      name += params;
    }
    benchmark::RegisterBenchmark(name.c_str(), [fn, backend](benchmark::State& state) {
      fn(state, *backend);
    })->Unit(unit);
  }
}

Bytes RandomBytes(size_t size) {
  Bytes out(size);
  crypto::OsRandom().Fill(out);
  return out;
}

void WarmUp(Backends backends) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  const crypto::SecretBytes exponent(RandomBytes(group.secret_exponent_size));
  const crypto::ModpGroup& v4_group = crypto::GetModpGroup(crypto::ModpGroupId::kModp3072);
  const crypto::SecretBytes v4_exponent(RandomBytes(v4_group.secret_exponent_size));
  const crypto::SecretBytes aes_key(RandomBytes(crypto::kAes128KeySize));
  const crypto::SecretBytes chacha_key(RandomBytes(crypto::kChaCha20KeySize));
  const Bytes data = RandomBytes(64);
  Bytes out(data.size());
  for (const crypto::Backend* b : backends) {
    // Results are ignored here: a failing operation fails its own case.
    benchmark::DoNotOptimize(b->ModExp(group.g, exponent, group.p));
    // OTRv4's generateDH table (openssl, decision 0033), built on first use.
    benchmark::DoNotOptimize(b->ModExp(v4_group.g, v4_exponent, v4_group.p));
    benchmark::DoNotOptimize(b->Ed448MulBase(b->Ed448ScalarReduce(data)));
    benchmark::DoNotOptimize(b->Hash(crypto::HashAlgorithm::kSha256, data));
    benchmark::DoNotOptimize(b->Hmac(crypto::HashAlgorithm::kSha1, data, data));
    benchmark::DoNotOptimize(b->Shake256(data, data.size()));
    benchmark::DoNotOptimize(b->Aes128Ctr(aes_key, ByteView(data).first(8), data, out));
    benchmark::DoNotOptimize(b->ChaCha20(chacha_key, ByteView(data).first(12), 0, data, out));
  }
}

}  // namespace otr::bench
