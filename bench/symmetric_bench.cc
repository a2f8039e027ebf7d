// Ciphers, MACs, hashes and the XOF at 16 B (a short chat message), 1 KiB and
// 16 KiB, reporting throughput. Sizes and keys follow their use in OTR: AES-128
// in counter mode and HMAC-SHA1 with 20-byte keys for v3 data messages (otr v3
// spec, "Data Message"), HMAC-SHA256 and SHA-256 in the AKE, ChaCha20 and
// SHAKE-256 in v4 (otrv4.md, "Data Exchange", "Key Derivation Functions").
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "bench/crypto_benchmarks.h"
#include "crypto/secret_bytes.h"

namespace otr::bench {
namespace {

using crypto::Backend;
using crypto::HashAlgorithm;
using crypto::SecretBytes;

using Sizes = std::span<const size_t>;
constexpr std::array<size_t, 3> kSizes = {16, 1024, 16 * 1024};
// SHAKE-256 also at 64 bytes: the size of most OTRv4 KDF inputs (a usage ID,
// a 64-byte secret).
constexpr std::array<size_t, 4> kShakeSizes = {16, 64, 1024, 16 * 1024};
constexpr size_t kShakeOutputSize = 64;

// Registers `name/<backend>/<size>` for each size. `setup(backend)` runs
// before the timed loop (e.g. setting up a keyed context) and returns the
// operation `op(in, out)` to time, which processes `in` (writing `out` if it
// produces a same-size output) and returns false on failure.
template <typename Setup>
void RegisterSizedWithSetup(Backends backends, std::string_view name, Setup setup,
                            Sizes sizes = kSizes) {
  for (size_t size : sizes) {
    RegisterPerBackend(backends, name, std::to_string(size), benchmark::kNanosecond,
                       [setup, size](benchmark::State& state, const Backend& backend) {
                         const Bytes input = RandomBytes(size);
                         Bytes output(size);
                         auto op = setup(backend);
                         for (auto _ : state) {
                           if (!op(ByteView(input), MutableByteView(output))) {
                             state.SkipWithError("operation failed");
                             break;
                           }
                           benchmark::DoNotOptimize(output.data());
                           benchmark::ClobberMemory();
                         }
                         state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                                                 static_cast<int64_t>(size));
                       });
  }
}

// The same, for an operation without setup: `op(backend, in, out)`.
template <typename Op>
void RegisterSized(Backends backends, std::string_view name, Op op, Sizes sizes = kSizes) {
  RegisterSizedWithSetup(
      backends, name,
      [op](const Backend& backend) {
        return [op, &backend](ByteView in, MutableByteView out) { return op(backend, in, out); };
      },
      sizes);
}

}  // namespace

void RegisterSymmetricBenchmarks(Backends backends) {
  const SecretBytes aes_key(RandomBytes(crypto::kAes128KeySize));
  const Bytes top_half = RandomBytes(crypto::kAesCtrTopHalfSize);
  RegisterSized(backends, "BM_Aes128Ctr",
                [aes_key, top_half](const Backend& b, ByteView in, MutableByteView out) {
                  return b.Aes128Ctr(aes_key, top_half, in, out).ok();
                });

  const SecretBytes chacha_key(RandomBytes(crypto::kChaCha20KeySize));
  const Bytes nonce = RandomBytes(crypto::kChaCha20NonceSize);
  RegisterSized(backends, "BM_ChaCha20",
                [chacha_key, nonce](const Backend& b, ByteView in, MutableByteView out) {
                  return b.ChaCha20(chacha_key, nonce, 0, in, out).ok();
                });

  const Bytes hmac_sha256_key = RandomBytes(32);
  RegisterSized(backends, "BM_HmacSha256",
                [hmac_sha256_key](const Backend& b, ByteView in, MutableByteView) {
                  SecretBytes mac = b.Hmac(HashAlgorithm::kSha256, hmac_sha256_key, in);
                  benchmark::DoNotOptimize(mac.data());
                  return mac.size() == crypto::DigestSize(HashAlgorithm::kSha256);
                });

  const Bytes hmac_sha1_key = RandomBytes(20);
  RegisterSized(backends, "BM_HmacSha1",
                [hmac_sha1_key](const Backend& b, ByteView in, MutableByteView) {
                  SecretBytes mac = b.Hmac(HashAlgorithm::kSha1, hmac_sha1_key, in);
                  benchmark::DoNotOptimize(mac.data());
                  return mac.size() == crypto::DigestSize(HashAlgorithm::kSha1);
                });

  // The keyed forms (backend.h, KeyedAes128Ctr and KeyedHmac): the key is
  // set up once, before the timed loop, as for the per-key-pair keys of v3
  // Data Messages.
  RegisterSizedWithSetup(backends, "BM_Aes128CtrKeyed", [aes_key, top_half](const Backend& b) {
    std::shared_ptr<crypto::KeyedAes128Ctr> keyed;
    if (auto made = b.NewKeyedAes128Ctr(aes_key); made.ok()) keyed = std::move(made).value();
    return [keyed, top_half](ByteView in, MutableByteView out) {
      return keyed != nullptr && keyed->Crypt(top_half, in, out).ok();
    };
  });
  RegisterSizedWithSetup(backends, "BM_HmacSha1Keyed", [hmac_sha1_key](const Backend& b) {
    std::shared_ptr<crypto::KeyedHmac> keyed =
        b.NewKeyedHmac(HashAlgorithm::kSha1, SecretBytes(hmac_sha1_key));
    return [keyed](ByteView in, MutableByteView) {
      std::array<uint8_t, 20> mac;
      const bool ok = keyed->Mac(in, mac).ok();
      benchmark::DoNotOptimize(mac.data());
      return ok;
    };
  });

  RegisterSized(backends, "BM_Sha256", [](const Backend& b, ByteView in, MutableByteView) {
    Bytes digest = b.Hash(HashAlgorithm::kSha256, in);
    benchmark::DoNotOptimize(digest.data());
    return digest.size() == crypto::DigestSize(HashAlgorithm::kSha256);
  });

  RegisterSized(
      backends, "BM_Shake256",
      [](const Backend& b, ByteView in, MutableByteView) {
        SecretBytes out = b.Shake256(in, kShakeOutputSize);
        benchmark::DoNotOptimize(out.data());
        return out.size() == kShakeOutputSize;
      },
      kShakeSizes);
}

}  // namespace otr::bench
