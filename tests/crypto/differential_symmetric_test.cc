// Differential tests of the deterministic symmetric primitives: for random
// inputs every backend gives byte-identical output.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <thread>

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
  CheckProperty(200, [] { CheckHash(HashAlgorithm::kSha1); });
}

TEST(DifferentialTest, Sha256) {
  CheckProperty(200, [] { CheckHash(HashAlgorithm::kSha256); });
}

TEST(DifferentialTest, Shake256) {
  CheckProperty(200, [] {
    const Bytes message = RandomBytes(0, 400);
    const std::vector<ByteView> chunks = RandomChunks(message);
    const size_t out_size = Uniform<size_t>(0, 601);
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
  switch (Uniform(0, 4)) {
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
  CheckProperty(200, [] { CheckHmac(HashAlgorithm::kSha1); });
}

TEST(DifferentialTest, HmacSha256) {
  CheckProperty(200, [] { CheckHmac(HashAlgorithm::kSha256); });
}

TEST(DifferentialTest, Aes128Ctr) {
  CheckProperty(200, [] {
    const SecretBytes key(RandomBytes(kAes128KeySize));
    // Top halves: random, or all 0xff (the bottom half must not carry into
    // the top half within a message either way).
    const Bytes top =
        Uniform(0, 4) == 0 ? Bytes(kAesCtrTopHalfSize, 0xff) : RandomBytes(kAesCtrTopHalfSize);
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

// Keyed contexts (backend.h, KeyedHmac): a sequence of messages under one
// key, interleaved with a clone's, gives on every backend exactly the
// one-shot tags.
void CheckKeyedHmac(HashAlgorithm alg) {
  const Bytes key = RandomHmacKey();
  const size_t messages = Uniform<size_t>(1, 6);
  std::vector<Bytes> inputs;
  for (size_t i = 0; i < messages; ++i) inputs.push_back(RandomBytes(0, 500));
  ExpectAllAgree("keyed hmac", [&](const Backend& backend) {
    auto keyed = backend.NewKeyedHmac(alg, SecretBytes(key));
    std::unique_ptr<KeyedHmac> clone;
    std::string tags;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (i == 1) clone = keyed->Clone();
      KeyedHmac& user = clone != nullptr && i % 2 == 1 ? *clone : *keyed;
      Bytes tag(DigestSize(alg));
      RC_ASSERT(user.Mac(inputs[i], tag).ok());
      RC_ASSERT(tag == backend.Hmac(alg, key, inputs[i]).Declassify());
      tags += ToHex(tag);
    }
    // A wrong output size is refused, and leaves the context usable.
    Bytes wrong(DigestSize(alg) + (Uniform(0, 2) == 0 ? 1 : -1));
    RC_ASSERT(keyed->Mac(inputs[0], wrong).code() == ErrorCode::kOutOfRange);
    Bytes tag(DigestSize(alg));
    RC_ASSERT(keyed->Mac(inputs[0], tag).ok());
    RC_ASSERT(tag == backend.Hmac(alg, key, inputs[0]).Declassify());
    return tags;
  });
}

TEST(DifferentialTest, KeyedHmacSha1) {
  CheckProperty(200, [] { CheckKeyedHmac(HashAlgorithm::kSha1); });
}

TEST(DifferentialTest, KeyedHmacSha256) {
  CheckProperty(200, [] { CheckKeyedHmac(HashAlgorithm::kSha256); });
}

// KeyedAes128Ctr: messages with different top halves under one key schedule,
// some in place, equal the one-shot Aes128Ctr on every backend; a clone
// behaves the same.
TEST(DifferentialTest, KeyedAes128Ctr) {
  CheckProperty(200, [] {
    const SecretBytes key(RandomBytes(kAes128KeySize));
    const size_t messages = Uniform<size_t>(1, 6);
    std::vector<std::pair<Bytes, Bytes>> inputs;  // (top half, input)
    for (size_t i = 0; i < messages; ++i) {
      // Short and long messages: the openssl context takes the two through
      // different paths (ECB key stream up to 256 bytes, CTR above).
      const size_t max_size = Uniform(0, 2) == 0 ? 600 : 2100;
      inputs.emplace_back(RandomBytes(kAesCtrTopHalfSize), RandomBytes(0, max_size));
    }
    const bool in_place = Uniform(0, 2) == 0;
    ExpectAllAgree("keyed aes128ctr", [&](const Backend& backend) {
      auto keyed = backend.NewKeyedAes128Ctr(key);
      RC_ASSERT(keyed.ok());
      std::unique_ptr<KeyedAes128Ctr> clone;
      std::string outs;
      for (size_t i = 0; i < inputs.size(); ++i) {
        const auto& [top, in] = inputs[i];
        if (i == 1) clone = (*keyed)->Clone();
        KeyedAes128Ctr& user = clone != nullptr && i % 2 == 1 ? *clone : **keyed;
        Bytes out = in_place ? in : Bytes(in.size());
        RC_ASSERT(user.Crypt(top, in_place ? ByteView(out) : ByteView(in), out).ok());
        Bytes expected(in.size());
        RC_ASSERT(backend.Aes128Ctr(key, top, in, expected).ok());
        RC_ASSERT(out == expected);
        outs += ToHex(out);
      }
      // The errors of Aes128Ctr, after which the context still works.
      Bytes out(inputs[0].second.size() + 1);
      RC_ASSERT((*keyed)->Crypt(inputs[0].first, inputs[0].second, out).code() ==
                ErrorCode::kOutOfRange);
      RC_ASSERT((*keyed)->Crypt(RandomBytes(7), inputs[0].second, out).code() ==
                ErrorCode::kInvalidKey);
      return outs;
    });
  });
}

TEST(DifferentialTest, KeyedAes128CtrRefusesWrongKeySizes) {
  for (const Backend* backend : AllBackends()) {
    for (size_t size : {size_t{0}, size_t{15}, size_t{17}, size_t{32}}) {
      auto keyed = backend->NewKeyedAes128Ctr(SecretBytes(Bytes(size, 1)));
      ASSERT_FALSE(keyed.ok()) << backend->name() << " " << size;
      EXPECT_EQ(keyed.code(), ErrorCode::kInvalidKey) << backend->name() << " " << size;
    }
  }
}

TEST(DifferentialTest, ChaCha20) {
  CheckProperty(200, [] {
    const SecretBytes key(RandomBytes(kChaCha20KeySize));
    const Bytes nonce = RandomBytes(kChaCha20NonceSize);
    // Counters: anywhere, or close to 2^32 - 1 so that a long input runs past
    // the end of the 32-bit block counter.
    const uint64_t low = Uniform(0, 3) == 0 ? 0xfffffff0u : 0;
    const auto counter = static_cast<uint32_t>(Uniform<uint64_t>(low, 0x100000000u));
    const Bytes in = RandomBytes(0, 600);
    ExpectAllAgree("chacha20", [&](const Backend& backend) {
      Bytes out(in.size());
      Status status = backend.ChaCha20(key, nonce, counter, in, out);
      return status.ok() ? "ok:" + ToHex(out) : Outcome(status);
    });
  });
}

// The fixed corner of the property above: a 32-bit block counter at its
// last value, with two blocks of input. RFC 7539 does not define the block
// after 2^32 - 1; whatever a backend does (refuse, wrap, carry into the
// nonce), all backends must do the same.
TEST(DifferentialTest, ChaCha20CounterEnd) {
  const SecretBytes key(Bytes(kChaCha20KeySize, 0x42));
  const Bytes nonce(kChaCha20NonceSize, 0x24);
  for (size_t size : {size_t{64}, size_t{65}, size_t{128}}) {
    const Bytes in(size, 0);
    std::vector<std::string> outcomes;
    for (const Backend* backend : AllBackends()) {
      Bytes out(in.size());
      Status status = backend->ChaCha20(key, nonce, 0xffffffffu, in, out);
      outcomes.push_back(status.ok() ? "ok:" + ToHex(out) : Outcome(status));
    }
    for (size_t i = 1; i < outcomes.size(); ++i) {
      EXPECT_EQ(outcomes[i], outcomes[0])
          << size << " bytes from counter 0xffffffff: " << AllBackends()[0]->name() << " vs "
          << AllBackends()[i]->name();
    }
  }
}

// backend.h: "All functions are thread-safe; a Backend has no mutable
// state." Four threads use both backends at once; every result equals the
// one computed alone.
TEST(DifferentialTest, ConcurrentUseGivesTheSameResults) {
  auto work = [](const Backend& backend, int i) {
    const Bytes data(static_cast<size_t>(100 + i), static_cast<uint8_t>(i));
    std::string out = ToHex(backend.Hmac(HashAlgorithm::kSha256, data, data).view());
    out += ToHex(backend.Shake256(data, 40).view());
    const SecretBytes seed(Bytes(kEd448SeedSize, static_cast<uint8_t>(i)));
    Result<Bytes> sig = backend.Ed448Sign(seed, data);
    out += sig.ok() ? ToHex(*sig) : "error";
    Result<Bytes> e = backend.ModExpPublic(Bytes{2}, data, Bytes{0xff, 0xfb});
    out += e.ok() ? ToHex(*e) : "error";
    return out;
  };
  constexpr int kThreads = 4;
  constexpr int kRounds = 20;
  std::vector<std::string> expected;
  for (const Backend* backend : AllBackends()) {
    for (int i = 0; i < kRounds; ++i) expected.push_back(work(*backend, i));
  }
  std::vector<std::vector<std::string>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (const Backend* backend : AllBackends()) {
        for (int i = 0; i < kRounds; ++i) got[t].push_back(work(*backend, i));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(got[t], expected) << "thread " << t;
}

}  // namespace
}  // namespace otr::crypto::testing
