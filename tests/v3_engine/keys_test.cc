// Known answers for v3 key derivation (otr v3 spec, "Computing AES keys,
// MAC keys, and the secure session id"). The expected values were computed
// independently with Python's hashlib from the spec's definitions.
#include <gtest/gtest.h>

#include "crypto/secret_bytes.h"
#include "protocol/v3/keys/ake_keys.h"
#include "protocol/v3/keys/data_keys.h"
#include "protocol/v3/keys/secbytes.h"
#include "tests/crypto/test_util.h"

namespace otr::v3 {
namespace {

using crypto::testing::FromHex;
using crypto::testing::ToHex;

// 192 bytes with two leading zeros: secbytes must drop them (minimal MPI).
const char kS[] =
    "0000030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b22293037"
    "3e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980"
    "878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9"
    "d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b12"
    "1920272e";

class KeysTest : public crypto::testing::BackendTest {};

TEST_P(KeysTest, SecBytesIsMinimalMpi) {
  const crypto::SecretBytes sec = SecBytes(crypto::SecretBytes(FromHex(kS)));
  ASSERT_EQ(sec.size(), 4u + 190u);
  EXPECT_EQ(ToHex(sec.view().first(6)), "000000be030a");
}

TEST_P(KeysTest, AkeKeys) {
  const AkeKeys keys = DeriveAkeKeys(backend(), crypto::SecretBytes(FromHex(kS)));
  EXPECT_EQ(ToHex(keys.ssid), "012eacf6fb800a4c");
  EXPECT_EQ(ToHex(keys.c.view()), "d7c56753d44717b84e98c0c3cfc98d21");
  EXPECT_EQ(ToHex(keys.c_prime.view()), "fc29735161f8e5bf5d2aa3327b64f987");
  EXPECT_EQ(ToHex(keys.m1.view()),
            "becf96b0a37c386ec40858994d102af8c7017e752e4a6ac5f6cbb5a03b825ef0");
  EXPECT_EQ(ToHex(keys.m2.view()),
            "7ba6d4f409430150ac982af97ec55dc94c1891c517ba761099e2a683c68b676f");
  EXPECT_EQ(ToHex(keys.m1_prime.view()),
            "aea78ddc07509679f2da705971c309db27c95d71daea4bc8580c6e085dab875e");
  EXPECT_EQ(ToHex(keys.m2_prime.view()),
            "2a991c6c8932eb5c573be2ac5fd803f18904b768d15354fe33a3c11839cbf4bb");
}

TEST_P(KeysTest, ExtraSymmetricKey) {
  const crypto::SecretBytes sec = SecBytes(crypto::SecretBytes(FromHex(kS)));
  EXPECT_EQ(ToHex(ExtraSymmetricKey(backend(), sec).view()),
            "1912a94222801fd508005638847db2d7f6ee80d1007f45641c31f27a55852bfa");
}

TEST_P(KeysTest, DataKeysHighAndLowEndsMirror) {
  const crypto::SecretBytes s(FromHex(kS));
  const Bytes big = {0x05, 0x00};
  const Bytes small = {0x04, 0xff};
  // The high end (larger public key) sends with h1(0x01).
  const DataKeys high = DeriveDataKeys(backend(), big, small, s);
  EXPECT_EQ(ToHex(high.send_aes.view()), "dd660aaf584d772c721fc6f5156bc9b8");
  EXPECT_EQ(ToHex(high.send_mac.view()), "aa5ca2c22cc510e5c89c07dd57ea69d1ea2c2f58");
  EXPECT_EQ(ToHex(high.recv_aes.view()), "8855a1a1fe13850a5c2aefefa4541203");
  EXPECT_EQ(ToHex(high.recv_mac.view()), "b7ae61fa42c6d5fc6fb934853af70fe832a84604");
  const DataKeys low = DeriveDataKeys(backend(), small, big, s);
  EXPECT_EQ(low.send_aes, high.recv_aes);
  EXPECT_EQ(low.recv_aes, high.send_aes);
  EXPECT_EQ(low.send_mac, high.recv_mac);
  EXPECT_EQ(low.recv_mac, high.send_mac);
}

OTR_INSTANTIATE_FOR_ALL_BACKENDS(KeysTest);

}  // namespace
}  // namespace otr::v3
