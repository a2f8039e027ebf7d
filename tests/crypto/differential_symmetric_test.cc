// Differential tests of the deterministic symmetric primitives: for random
// inputs every backend gives byte-identical output.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "crypto/backend.h"
#include "crypto/backends.h"
#include "tests/crypto/differential_util.h"

namespace otr::crypto::testing {
namespace {

TEST(DifferentialTest, ComparesAtLeastTwoBackends) {
  // With fewer, every property below would hold trivially.
  ASSERT_GE(AllBackends().size(), 2u);
}

// Hashes with random chunking: the incremental result equals the one-shot
// result on the same backend, and all backends agree.
void CheckHash(HashAlgorithm alg) {
  const Bytes message = RandomBytes(0, 1000);
  const std::vector<ByteView> chunks = RandomChunks(message);
  ExpectAllAgree("hash", [&](const Backend& backend) {
    auto ctx = backend.NewHash(alg);
    for (ByteView chunk : chunks) ctx->Update(chunk);
    Bytes incremental = ctx->Finish().Declassify();
    RC_ASSERT(incremental == backend.Hash(alg, message));
    RC_ASSERT(incremental.size() == DigestSize(alg));
    return incremental;
  });
}

TEST(DifferentialTest, Sha1) {
  CheckProperty(100, [] { CheckHash(HashAlgorithm::kSha1); });
}

TEST(DifferentialTest, Sha256) {
  CheckProperty(100, [] { CheckHash(HashAlgorithm::kSha256); });
}

TEST(DifferentialTest, Shake256) {
  CheckProperty(100, [] {
    const Bytes message = RandomBytes(0, 400);
    const std::vector<ByteView> chunks = RandomChunks(message);
    const size_t out_size = *rc::gen::inRange<size_t>(0, 601);
    ExpectAllAgree("shake256", [&](const Backend& backend) {
      auto ctx = backend.NewShake256();
      for (ByteView chunk : chunks) ctx->Update(chunk);
      Bytes out(out_size);
      ctx->Finish(out);
      RC_ASSERT(out == backend.Shake256(message, out_size).Declassify());
      return out;
    });
  });
}

// Keys: empty, short, exactly a block, longer than the 64-byte block.
Bytes RandomHmacKey() {
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      return Bytes();
    case 1:
      return RandomBytes(64);
    case 2:
      return RandomBytes(65, 300);
    default:
      return RandomBytes(1, 63);
  }
}

void CheckHmac(HashAlgorithm alg) {
  const Bytes key = RandomHmacKey();
  const Bytes message = RandomBytes(0, 500);
  const std::vector<ByteView> chunks = RandomChunks(message);
  ExpectAllAgree("hmac", [&](const Backend& backend) {
    auto ctx = backend.NewHmac(alg, key);
    for (ByteView chunk : chunks) ctx->Update(chunk);
    SecretBytes tag = ctx->Finish();
    RC_ASSERT(tag == backend.Hmac(alg, key, message));
    return tag;
  });
}

TEST(DifferentialTest, HmacSha1) {
  CheckProperty(100, [] { CheckHmac(HashAlgorithm::kSha1); });
}

TEST(DifferentialTest, HmacSha256) {
  CheckProperty(100, [] { CheckHmac(HashAlgorithm::kSha256); });
}

TEST(DifferentialTest, Aes128Ctr) {
  CheckProperty(100, [] {
    const SecretBytes key(RandomBytes(kAes128KeySize));
    // Top halves: random, or all 0xff (the bottom half must not carry into
    // the top half within a message either way).
    const Bytes top = *rc::gen::inRange(0, 4) == 0 ? Bytes(kAesCtrTopHalfSize, 0xff)
                                                   : RandomBytes(kAesCtrTopHalfSize);
    const Bytes in = RandomBytes(0, 600);
    ExpectAllAgree("aes128ctr", [&](const Backend& backend) {
      Bytes out(in.size());
      RC_ASSERT(backend.Aes128Ctr(key, top, in, out).ok());
      // Decrypting in place restores the input.
      Bytes again = out;
      RC_ASSERT(backend.Aes128Ctr(key, top, again, again).ok());
      RC_ASSERT(again == in);
      return out;
    });
  });
}

TEST(DifferentialTest, ChaCha20) {
  CheckProperty(100, [] {
    const SecretBytes key(RandomBytes(kChaCha20KeySize));
    const Bytes nonce = RandomBytes(kChaCha20NonceSize);
    // Counters: anywhere, or close to 2^32 - 1 so that a long input runs past
    // the end of the 32-bit block counter.
    const uint64_t low = *rc::gen::inRange(0, 3) == 0 ? 0xfffffff0u : 0;
    const auto counter = static_cast<uint32_t>(*rc::gen::inRange<uint64_t>(low, 0x100000000u));
    const Bytes in = RandomBytes(0, 600);
    ExpectAllAgree("chacha20", [&](const Backend& backend) {
      Bytes out(in.size());
      Status status = backend.ChaCha20(key, nonce, counter, in, out);
      return status.ok() ? "ok:" + ToHex(out) : Outcome(status);
    });
  });
}

}  // namespace
}  // namespace otr::crypto::testing
