// Known answers for AES-128-CTR (OTR's counter layout), ChaCha20 and XSalsa20.
#include <gtest/gtest.h>

#include <string>

#include "crypto/backend.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {
namespace {

using CipherKatTest = BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(CipherKatTest);

// One-shot, and checks that a keyed context (used twice) agrees.
std::string AesCtrHex(const Backend& backend, ByteView key, ByteView top, ByteView in) {
  Bytes out(in.size());
  Status status = backend.Aes128Ctr(SecretBytes(key), top, in, out);
  EXPECT_TRUE(status.ok()) << CodeName(status.code());
  auto keyed = backend.NewKeyedAes128Ctr(SecretBytes(key));
  EXPECT_TRUE(keyed.ok());
  if (keyed.ok()) {
    for (int use = 0; use < 2; ++use) {
      Bytes again(in.size());
      EXPECT_TRUE((*keyed)->Crypt(top, in, again).ok());
      EXPECT_EQ(ToHex(again), ToHex(out)) << "keyed, use " << use;
    }
  }
  return ToHex(out);
}

// OTR v3 "Data Message": the counter block is the 8-byte top half followed
// by 8 bytes counting up from zero. NIST SP 800-38A F.5.1 starts its counter
// at f0f1...feff, whose bottom half is not zero, so its ciphertexts cannot be
// reused. We keep its key and plaintext and take the top half f0f1f2f3f4f5f6f7;
// the expected ciphertext was computed with
//   openssl enc -aes-128-ctr -K 2b7e151628aed2a6abf7158809cf4f3c
//               -iv f0f1f2f3f4f5f6f70000000000000000
// (OpenSSL 3.0 command-line tool, a separate code path from our backends).
constexpr std::string_view kSp80038aKey = "2b7e151628aed2a6abf7158809cf4f3c";
constexpr std::string_view kSp80038aPlaintext =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
constexpr std::string_view kOtrCtrCiphertext =
    "67ee05547499f8bcf0c38324e8605c28018216a5f4dac1af7e12ae7a0c2e3e9f"
    "13e8bc4a3757a548139805cf9563140d2f888d314b552b839678e5f12d56a948";

TEST_P(CipherKatTest, Aes128CtrOtrCounterLayout) {
  const Bytes key = FromHex(kSp80038aKey);
  const Bytes top = FromHex("f0f1f2f3f4f5f6f7");
  const Bytes plaintext = FromHex(kSp80038aPlaintext);
  EXPECT_EQ(AesCtrHex(backend(), key, top, plaintext), kOtrCtrCiphertext);
  // A length that is not a multiple of the block size: a prefix (37 bytes).
  EXPECT_EQ(AesCtrHex(backend(), key, top, ByteView(plaintext).first(37)),
            kOtrCtrCiphertext.substr(0, 74));
  // Decryption is the same operation.
  EXPECT_EQ(AesCtrHex(backend(), key, top, FromHex(kOtrCtrCiphertext)), kSp80038aPlaintext);
  // Empty input.
  EXPECT_EQ(AesCtrHex(backend(), key, top, {}), "");
}

// The keystream itself: AES-128 under key 000102...0f of the counter blocks
// 0000000000000001 || 0, || 1, || 2. Computed with the openssl CLI both as
// aes-128-ctr of zeros and as aes-128-ecb of the three counter blocks
// (identical results, which pins the counter layout).
TEST_P(CipherKatTest, Aes128CtrKeystreamIsAesOfCounterBlocks) {
  const Bytes key = FromHex("000102030405060708090a0b0c0d0e0f");
  const Bytes top = FromHex("0000000000000001");
  const Bytes zeros(48, 0);
  EXPECT_EQ(AesCtrHex(backend(), key, top, zeros),
            "13189a6ae4ab07ae70a3aabd30be99de8f9429444c8f4b3599421235b510df3d"
            "945446341c6f5971fe0eb662b1fb9950");
}

TEST_P(CipherKatTest, Aes128CtrInPlace) {
  const SecretBytes key(FromHex(kSp80038aKey));
  const Bytes top = FromHex("f0f1f2f3f4f5f6f7");
  Bytes buffer = FromHex(kSp80038aPlaintext);
  ASSERT_TRUE(backend().Aes128Ctr(key, top, buffer, buffer).ok());
  EXPECT_EQ(ToHex(buffer), kOtrCtrCiphertext);
}

TEST_P(CipherKatTest, Aes128CtrRejectsBadSizes) {
  const SecretBytes key(FromHex(kSp80038aKey));
  const Bytes top = FromHex("f0f1f2f3f4f5f6f7");
  const Bytes in(16, 0);
  Bytes out(16);
  Bytes short_out(15);
  EXPECT_FALSE(backend().Aes128Ctr(SecretBytes(Bytes(15, 1)), top, in, out).ok());
  EXPECT_FALSE(backend().Aes128Ctr(key, ByteView(top).first(7), in, out).ok());
  EXPECT_FALSE(backend().Aes128Ctr(key, top, in, short_out).ok());
}

std::string ChaChaHex(const Backend& backend, std::string_view key_hex, std::string_view nonce_hex,
                      uint32_t counter, ByteView in) {
  Bytes out(in.size());
  Status status =
      backend.ChaCha20(SecretBytes(FromHex(key_hex)), FromHex(nonce_hex), counter, in, out);
  EXPECT_TRUE(status.ok()) << CodeName(status.code());
  return ToHex(out);
}

// RFC 7539 section 2.4.2, "Example and Test Vector for the ChaCha20 Cipher".
TEST_P(CipherKatTest, ChaCha20Rfc7539Section242) {
  const std::string_view sunscreen =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  EXPECT_EQ(ChaChaHex(backend(), "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                      "000000000000004a00000000", 1, AsBytes(sunscreen)),
            "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
            "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
            "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            "5af90bbf74a35be6b40b8eedf2785e42874d");
}

// RFC 7539 appendix A.2, "ChaCha20 Encryption", test vectors #1 to #3.
TEST_P(CipherKatTest, ChaCha20Rfc7539AppendixA2) {
  EXPECT_EQ(ChaChaHex(backend(), "0000000000000000000000000000000000000000000000000000000000000000",
                      "000000000000000000000000", 0, Bytes(64, 0)),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");

  const std::string_view ietf =
      "Any submission to the IETF intended by the Contributor for publication as all or part of "
      "an IETF Internet-Draft or RFC and any statement made within the context of an IETF "
      "activity is considered an \"IETF Contribution\". Such statements include oral statements "
      "in IETF sessions, as well as written and electronic communications made at any time or "
      "place, which are addressed to";
  ASSERT_EQ(ietf.size(), 375u);
  EXPECT_EQ(ChaChaHex(backend(), "0000000000000000000000000000000000000000000000000000000000000001",
                      "000000000000000000000002", 1, AsBytes(ietf)),
            "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
            "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
            "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
            "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
            "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
            "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
            "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
            "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
            "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
            "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
            "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
            "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221");

  const std::string_view jabberwocky =
      "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy were the "
      "borogoves,\nAnd the mome raths outgrabe.";
  EXPECT_EQ(ChaChaHex(backend(), "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
                      "000000000000000000000002", 42, AsBytes(jabberwocky)),
            "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
            "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
            "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
            "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1");
}

TEST_P(CipherKatTest, ChaCha20InPlaceAndBadSizes) {
  const SecretBytes key(Bytes(32, 0));
  const Bytes nonce(12, 0);
  Bytes buffer(64, 0);
  ASSERT_TRUE(backend().ChaCha20(key, nonce, 0, buffer, buffer).ok());
  EXPECT_EQ(ToHex(ByteView(buffer).first(8)), "76b8e0ada0f13d90");
  Bytes out(64);
  EXPECT_FALSE(backend().ChaCha20(SecretBytes(Bytes(31, 0)), nonce, 0, buffer, out).ok());
  EXPECT_FALSE(backend().ChaCha20(key, Bytes(8, 0), 0, buffer, out).ok());
  EXPECT_FALSE(backend().ChaCha20(key, nonce, 0, buffer, MutableByteView(out).first(63)).ok());
}

// backend.h allows in == out; a partial overlap would make the output depend
// on how the library walks the buffer, so it must be refused.
TEST_P(CipherKatTest, PartialOverlapIsRefused) {
  Bytes buffer(65, 0x11);
  const ByteView in = ByteView(buffer).first(64);
  const MutableByteView shifted = MutableByteView(buffer).subspan(1, 64);
  EXPECT_FALSE(backend().Aes128Ctr(SecretBytes(Bytes(16, 1)), Bytes(8, 2), in, shifted).ok());
  EXPECT_FALSE(backend().ChaCha20(SecretBytes(Bytes(32, 1)), Bytes(12, 2), 0, in, shifted).ok());
  const ByteView in_late = ByteView(buffer).subspan(1, 64);
  const MutableByteView out_early = MutableByteView(buffer).first(64);
  EXPECT_FALSE(
      backend().Aes128Ctr(SecretBytes(Bytes(16, 1)), Bytes(8, 2), in_late, out_early).ok());
  EXPECT_FALSE(
      backend().ChaCha20(SecretBytes(Bytes(32, 1)), Bytes(12, 2), 0, in_late, out_early).ok());
}

// XSalsa20 (the `libotr-ng` compatibility profile, issue 20): NaCl's
// tests/stream3.c, the first 32 bytes of the keystream for its "firstkey"
// and nonce (the same vector is in libsodium's test/default/stream3.c).
TEST_P(CipherKatTest, XSalsa20NaclStream3) {
  const SecretBytes key(
      FromHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389"));
  const Bytes nonce = FromHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
  Bytes out(32);
  ASSERT_TRUE(backend().XSalsa20(key, nonce, Bytes(32), out).ok());
  EXPECT_EQ(ToHex(out), "eea6a7251c1e72916d11c2cb214d3c252539121d8e234e652d651fa4c8cff880");
  // XOR is its own inverse, in place too.
  Bytes text = FromHex("00112233445566778899");
  const Bytes plain = text;
  ASSERT_TRUE(backend().XSalsa20(key, nonce, text, text).ok());
  EXPECT_NE(text, plain);
  ASSERT_TRUE(backend().XSalsa20(key, nonce, text, text).ok());
  EXPECT_EQ(text, plain);
  // Sizes are checked.
  EXPECT_FALSE(backend().XSalsa20(SecretBytes(Bytes(31)), nonce, text, text).ok());
  EXPECT_FALSE(backend().XSalsa20(key, Bytes(12), text, text).ok());
  Bytes short_out(3);
  EXPECT_FALSE(backend().XSalsa20(key, nonce, text, short_out).ok());
}

}  // namespace
}  // namespace otr::crypto::testing
