// Known answers for Ed448: RFC 8032 signatures and the group and scalar
// arithmetic behind them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/backend.h"
#include "crypto/ed448_small_order.h"
#include "crypto/testing/ed448_points.h"
#include "tests/crypto/test_util.h"

namespace otr::crypto::testing {
namespace {

using Ed448KatTest = BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(Ed448KatTest);

struct EddsaVector {
  const char* name;
  std::string_view secret;
  std::string_view public_key;
  std::string_view message;
  std::string_view signature;
};

// RFC 8032 section 7.4, "Test Vectors for Ed448": every vector with an empty
// context ("1 octet (with context)" is left out: the interface signs with an
// empty context only).
const std::vector<EddsaVector>& Rfc8032Vectors() {
  static const auto* vectors = new std::vector<EddsaVector>{
      {"Blank",
       "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3"
       "528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
       "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778"
       "edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
       "",
       "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f"
       "2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a"
       "9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4db"
       "b61149f05a7363268c71d95808ff2e652600"},
      {"1 octet",
       "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463a"
       "fbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e",
       "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c086"
       "6aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
       "03",
       "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f435"
       "2541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd779805e0dbcc0aae1cb"
       "cee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0f"
       "f3348ab21aa4adafd1d234441cf807c03a00"},
      {"11 octets",
       "cd23d24f714274e744343237b93290f511f6425f98e64459ff203e8985083ffd"
       "f60500553abc0e05cd02184bdb89c4ccd67e187951267eb328",
       "dcea9e78f35a1bf3499a831b10b86c90aac01cd84b67a0109b55a36e9328b1e3"
       "65fce161d71ce7131a543ea4cb5f7e9f1d8b00696447001400",
       "0c3e544074ec63b0265e0c",
       "1f0a8888ce25e8d458a21130879b840a9089d999aaba039eaf3e3afa090a09d3"
       "89dba82c4ff2ae8ac5cdfb7c55e94d5d961a29fe0109941e00b8dbdeea6d3b05"
       "1068df7254c0cdc129cbe62db2dc957dbb47b51fd3f213fb8698f064774250a5"
       "028961c9bf8ffd973fe5d5c206492b140e00"},
      {"12 octets",
       "258cdd4ada32ed9c9ff54e63756ae582fb8fab2ac721f2c8e676a72768513d93"
       "9f63dddb55609133f29adf86ec9929dccb52c1c5fd2ff7e21b",
       "3ba16da0c6f2cc1f30187740756f5e798d6bc5fc015d7c63cc9510ee3fd44adc"
       "24d8e968b6e46e6f94d19b945361726bd75e149ef09817f580",
       "64a65f3cdedcdd66811e2915",
       "7eeeab7c4e50fb799b418ee5e3197ff6bf15d43a14c34389b59dd1a7b1b85b4a"
       "e90438aca634bea45e3a2695f1270f07fdcdf7c62b8efeaf00b45c2c96ba457e"
       "b1a8bf075a3db28e5c24f6b923ed4ad747c3c9e03c7079efb87cb110d3a99861"
       "e72003cbae6d6b8b827e4e6c143064ff3c00"},
      {"13 octets",
       "7ef4e84544236752fbb56b8f31a23a10e42814f5f55ca037cdcc11c64c9a3b29"
       "49c1bb60700314611732a6c2fea98eebc0266a11a93970100e",
       "b3da079b0aa493a5772029f0467baebee5a8112d9d3a22532361da294f7bb381"
       "5c5dc59e176b4d9f381ca0938e13c6c07b174be65dfa578e80",
       "64a65f3cdedcdd66811e2915e7",
       "6a12066f55331b6c22acd5d5bfc5d71228fbda80ae8dec26bdd306743c5027cb"
       "4890810c162c027468675ecf645a83176c0d7323a2ccde2d80efe5a1268e8aca"
       "1d6fbc194d3f77c44986eb4ab4177919ad8bec33eb47bbb5fc6e28196fd1caf5"
       "6b4e7e0ba5519234d047155ac727a1053100"},
      {"64 octets",
       "d65df341ad13e008567688baedda8e9dcdc17dc024974ea5b4227b6530e339bf"
       "f21f99e68ca6968f3cca6dfe0fb9f4fab4fa135d5542ea3f01",
       "df9705f58edbab802c7f8363cfe5560ab1c6132c20a9f1dd163483a26f8ac53a"
       "39d6808bf4a1dfbd261b099bb03b3fb50906cb28bd8a081f00",
       "bd0f6a3747cd561bdddf4640a332461a4a30a12a434cd0bf40d766d9c6d458e5"
       "512204a30c17d1f50b5079631f64eb3112182da3005835461113718d1a5ef944",
       "554bc2480860b49eab8532d2a533b7d578ef473eeb58c98bb2d0e1ce488a98b1"
       "8dfde9b9b90775e67f47d4a1c3482058efc9f40d2ca033a0801b63d45b3b722e"
       "f552bad3b4ccb667da350192b61c508cf7b6b5adadc2c8d9a446ef003fb05cba"
       "5f30e88e36ec2703b349ca229c2670833900"},
      {"256 octets",
       "2ec5fe3c17045abdb136a5e6a913e32ab75ae68b53d2fc149b77e504132d3756"
       "9b7e766ba74a19bd6162343a21c8590aa9cebca9014c636df5",
       "79756f014dcfe2079f5dd9e718be4171e2ef2486a08f25186f6bff43a9936b9b"
       "fe12402b08ae65798a3d81e22e9ec80e7690862ef3d4ed3a00",
       "15777532b0bdd0d1389f636c5f6b9ba734c90af572877e2d272dd078aa1e567c"
       "fa80e12928bb542330e8409f3174504107ecd5efac61ae7504dabe2a602ede89"
       "e5cca6257a7c77e27a702b3ae39fc769fc54f2395ae6a1178cab4738e543072f"
       "c1c177fe71e92e25bf03e4ecb72f47b64d0465aaea4c7fad372536c8ba516a60"
       "39c3c2a39f0e4d832be432dfa9a706a6e5c7e19f397964ca4258002f7c0541b5"
       "90316dbc5622b6b2a6fe7a4abffd96105eca76ea7b98816af0748c10df048ce0"
       "12d901015a51f189f3888145c03650aa23ce894c3bd889e030d565071c59f409"
       "a9981b51878fd6fc110624dcbcde0bf7a69ccce38fabdf86f3bef6044819de11",
       "c650ddbb0601c19ca11439e1640dd931f43c518ea5bea70d3dcde5f4191fe53f"
       "00cf966546b72bcc7d58be2b9badef28743954e3a44a23f880e8d4f1cfce2d7a"
       "61452d26da05896f0a50da66a239a8a188b6d825b3305ad77b73fbac0836ecc6"
       "0987fd08527c1a8e80d5823e65cafe2a3d00"},
      {"1023 octets",
       "872d093780f5d3730df7c212664b37b8a0f24f56810daa8382cd4fa3f77634ec"
       "44dc54f1c2ed9bea86fafb7632d8be199ea165f5ad55dd9ce8",
       "a81b2e8a70a5ac94ffdbcc9badfc3feb0801f258578bb114ad44ece1ec0e799d"
       "a08effb81c5d685c0c56f64eecaef8cdf11cc38737838cf400",
       "6ddf802e1aae4986935f7f981ba3f0351d6273c0a0c22c9c0e8339168e675412"
       "a3debfaf435ed651558007db4384b650fcc07e3b586a27a4f7a00ac8a6fec2cd"
       "86ae4bf1570c41e6a40c931db27b2faa15a8cedd52cff7362c4e6e23daec0fbc"
       "3a79b6806e316efcc7b68119bf46bc76a26067a53f296dafdbdc11c77f7777e9"
       "72660cf4b6a9b369a6665f02e0cc9b6edfad136b4fabe723d2813db3136cfde9"
       "b6d044322fee2947952e031b73ab5c603349b307bdc27bc6cb8b8bbd7bd32321"
       "9b8033a581b59eadebb09b3c4f3d2277d4f0343624acc817804728b25ab79717"
       "2b4c5c21a22f9c7839d64300232eb66e53f31c723fa37fe387c7d3e50bdf9813"
       "a30e5bb12cf4cd930c40cfb4e1fc622592a49588794494d56d24ea4b40c89fc0"
       "596cc9ebb961c8cb10adde976a5d602b1c3f85b9b9a001ed3c6a4d3b1437f520"
       "96cd1956d042a597d561a596ecd3d1735a8d570ea0ec27225a2c4aaff26306d1"
       "526c1af3ca6d9cf5a2c98f47e1c46db9a33234cfd4d81f2c98538a09ebe76998"
       "d0d8fd25997c7d255c6d66ece6fa56f11144950f027795e653008f4bd7ca2dee"
       "85d8e90f3dc315130ce2a00375a318c7c3d97be2c8ce5b6db41a6254ff264fa6"
       "155baee3b0773c0f497c573f19bb4f4240281f0b1f4f7be857a4e59d416c06b4"
       "c50fa09e1810ddc6b1467baeac5a3668d11b6ecaa901440016f389f80acc4db9"
       "77025e7f5924388c7e340a732e554440e76570f8dd71b7d640b3450d1fd5f041"
       "0a18f9a3494f707c717b79b4bf75c98400b096b21653b5d217cf3565c9597456"
       "f70703497a078763829bc01bb1cbc8fa04eadc9a6e3f6699587a9e75c94e5bab"
       "0036e0b2e711392cff0047d0d6b05bd2a588bc109718954259f1d86678a579a3"
       "120f19cfb2963f177aeb70f2d4844826262e51b80271272068ef5b3856fa8535"
       "aa2a88b2d41f2a0e2fda7624c2850272ac4a2f561f8f2f7a318bfd5caf969614"
       "9e4ac824ad3460538fdc25421beec2cc6818162d06bbed0c40a387192349db67"
       "a118bada6cd5ab0140ee273204f628aad1c135f770279a651e24d8c14d75a605"
       "9d76b96a6fd857def5e0b354b27ab937a5815d16b5fae407ff18222c6d1ed263"
       "be68c95f32d908bd895cd76207ae726487567f9a67dad79abec316f683b17f2d"
       "02bf07e0ac8b5bc6162cf94697b3c27cd1fea49b27f23ba2901871962506520c"
       "392da8b6ad0d99f7013fbc06c2c17a569500c8a7696481c1cd33e9b14e40b82e"
       "79a5f5db82571ba97bae3ad3e0479515bb0e2b0f3bfcd1fd33034efc6245eddd"
       "7ee2086ddae2600d8ca73e214e8c2b0bdb2b047c6a464a562ed77b73d2d841c4"
       "b34973551257713b753632efba348169abc90a68f42611a40126d7cb21b58695"
       "568186f7e569d2ff0f9e745d0487dd2eb997cafc5abf9dd102e62ff66cba87",
       "e301345a41a39a4d72fff8df69c98075a0cc082b802fc9b2b6bc503f926b65bd"
       "df7f4c8f1cb49f6396afc8a70abe6d8aef0db478d4c6b2970076c6a0484fe76d"
       "76b3a97625d79f1ce240e7c576750d295528286f719b413de9ada3e8eb78ed57"
       "3603ce30d8bb761785dc30dbc320869e1a00"},
  };
  return *vectors;
}

// RFC 8032 section 5.2: the base point B and the group order L (called q in
// otrv4.md), both as 57-byte little-endian encodings.
constexpr std::string_view kBase =
    "14fa30f25b790898adc8d74e2c13bdfdc4397ce61cffd33ad7c2a0051e9c78874098a36c7373ea4b62c7c956"
    "3720768824bcb66e71463f6900";
constexpr std::string_view kOrder =
    "f34458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff3f00";
constexpr std::string_view kOrderMinusOne =
    "f24458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffff3f00";
// The identity (x, y) = (0, 1).
constexpr std::string_view kIdentity =
    "0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000";
// 2B, computed with the affine addition law of RFC 8032 section 5.2.4 in a
// few lines of Python big-integer arithmetic (no crypto library involved).
constexpr std::string_view kTwoBase =
    "ed8693eacdfbeada6ba0cdd1beb2bcbb98302a3a8365650db8c4d88a726de3b7d74d8835a0d76e03b0c28650"
    "20d659b38d04d74a63e905ae80";
// Points of small order (the cofactor is 4): (0, -1) of order 2 and (1, 0),
// (-1, 0) of order 4, encoded as in RFC 8032 section 5.2.2.
constexpr std::string_view kOrder2 =
    "fefffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffff00";
constexpr std::string_view kOrder4Odd =
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000080";
constexpr std::string_view kOrder4Even =
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000";
// B + (0, -1): on the curve, not in the prime-order subgroup (Python, as 2B).
constexpr std::string_view kBasePlusOrder2 =
    "eb05cf0da486f767523728b1d3ec42023bc68319e3002cc5283d5ffae0638778bf675c938c8c15b49d3836a9"
    "c8df8977db4349918eb9c09680";
// y = p = 2^448 - 2^224 - 1: not canonical (RFC 8032 5.2.3 step 1 rejects y >= p).
constexpr std::string_view kYEqualsP =
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffff"
    "ffffffffffffffffffffffff00";

// A valid point from its encoding (Ed448Decode must accept it).
Ed448Point PointFromHex(const Backend& backend, std::string_view hex) {
  Result<Ed448Point> point = backend.Ed448Decode(FromHex(hex));
  EXPECT_TRUE(point.ok()) << hex;
  return point.ok() ? *point : backend.Ed448Identity();
}

SecretBytes ScalarFromHex(std::string_view hex) { return SecretBytes(FromHex(hex)); }

// A small scalar as 57 little-endian bytes.
SecretBytes SmallScalar(uint8_t value) {
  SecretBytes s(kEd448ScalarSize);
  s[0] = value;
  return s;
}

TEST_P(Ed448KatTest, Rfc8032DerivePublicKey) {
  for (const EddsaVector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    Result<Bytes> pub = backend().Ed448DerivePublicKey(SecretBytes(FromHex(v.secret)));
    ASSERT_TRUE(pub.ok()) << CodeName(pub.code());
    EXPECT_EQ(ToHex(*pub), v.public_key);
  }
}

TEST_P(Ed448KatTest, Rfc8032Sign) {
  for (const EddsaVector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    Result<Bytes> sig = backend().Ed448Sign(SecretBytes(FromHex(v.secret)), FromHex(v.message));
    ASSERT_TRUE(sig.ok()) << CodeName(sig.code());
    EXPECT_EQ(ToHex(*sig), v.signature);
  }
}

TEST_P(Ed448KatTest, Rfc8032Verify) {
  for (const EddsaVector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    Status status =
        backend().Ed448Verify(FromHex(v.public_key), FromHex(v.message), FromHex(v.signature));
    EXPECT_TRUE(status.ok()) << CodeName(status.code());
  }
}

TEST_P(Ed448KatTest, Rfc8032TamperedFails) {
  for (const EddsaVector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    const Bytes pub = FromHex(v.public_key);
    const Bytes msg = FromHex(v.message);
    const Bytes sig = FromHex(v.signature);

    // A changed message: one bit flipped, or a byte appended to the empty one.
    Bytes bad_msg = msg;
    if (bad_msg.empty()) {
      bad_msg.push_back(0);
    } else {
      bad_msg[bad_msg.size() / 2] ^= 0x01;
    }
    Status status = backend().Ed448Verify(pub, bad_msg, sig);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), ErrorCode::kBadSignature) << CodeName(status.code());
    // A truncated message.
    if (!msg.empty()) {
      EXPECT_FALSE(backend().Ed448Verify(pub, ByteView(msg).first(msg.size() - 1), sig).ok());
    }

    // A bit flipped in R, in S, in the public key.
    for (size_t index : {size_t{0}, size_t{30}, size_t{57}, size_t{100}}) {
      Bytes bad_sig = sig;
      bad_sig[index] ^= 0x04;
      EXPECT_FALSE(backend().Ed448Verify(pub, msg, bad_sig).ok()) << "signature byte " << index;
    }
    Bytes bad_pub = pub;
    bad_pub[10] ^= 0x80;
    EXPECT_FALSE(backend().Ed448Verify(bad_pub, msg, sig).ok());

    // Wrong sizes.
    EXPECT_FALSE(backend().Ed448Verify(pub, msg, ByteView(sig).first(113)).ok());
    Bytes long_sig = sig;
    long_sig.push_back(0);
    EXPECT_FALSE(backend().Ed448Verify(pub, msg, long_sig).ok());
    EXPECT_FALSE(backend().Ed448Verify(ByteView(pub).first(56), msg, sig).ok());
    // Another vector's key.
    const EddsaVector& other = Rfc8032Vectors()[(&v - &Rfc8032Vectors()[0] + 1) % 8];
    EXPECT_FALSE(backend().Ed448Verify(FromHex(other.public_key), msg, sig).ok());
  }
}

// RFC 8032 section 5.2.7 step 1: S must be below L. Adding L to S gives the
// same group equation, so only the range check rejects it (malleability).
TEST_P(Ed448KatTest, VerifyRejectsSPlusL) {
  const EddsaVector& v = Rfc8032Vectors()[1];
  Bytes sig = FromHex(v.signature);
  const Bytes order = FromHex(kOrder);
  unsigned carry = 0;
  for (size_t i = 0; i < kEd448ScalarSize; ++i) {
    unsigned sum = sig[57 + i] + order[i] + carry;
    sig[57 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(backend().Ed448Verify(FromHex(v.public_key), FromHex(v.message), sig).ok());
}

// The public key is s*B with s the clamped first half of SHAKE256(seed, 114)
// (RFC 8032 section 5.2.5). Doing these steps through the interface must give
// the RFC's key: this catches an implementation whose MulBase is off by the
// factor 4 of libdecaf's isogeny (DESIGN.md, "Pitfalls").
// A public key of small order (the identity, (0, -1), (+-1, 0)) is refused
// as kInvalidKey on both backends. With the identity as A, the signature
// (R = B, S = 1) satisfies [S]B = R + [k]A for every message; before the
// check OpenSSL accepted it and libgcrypt 1.10 aborted the process.
TEST_P(Ed448KatTest, VerifyRefusesSmallOrderKeys) {
  Bytes identity(57, 0);
  identity[0] = 0x01;
  Bytes minus_one(57, 0xff);
  minus_one[0] = 0xfe;
  minus_one[28] = 0xfe;
  minus_one[56] = 0x00;
  Bytes order4_even(57, 0);
  Bytes order4_odd(57, 0);
  order4_odd[56] = 0x80;
  const crypto::Ed448Encoding base = backend().Ed448Encode(backend().Ed448Base());
  Bytes forged(base.begin(), base.end());
  Bytes one(57, 0);
  one[0] = 0x01;
  forged.insert(forged.end(), one.begin(), one.end());
  const Bytes message = {'a', 'n', 'y'};
  for (const Bytes& key : {identity, minus_one, order4_even, order4_odd}) {
    ASSERT_TRUE(crypto::IsEd448SmallOrderEncoding(key)) << ToHex(key);
    Status status = backend().Ed448Verify(key, message, forged);
    ASSERT_FALSE(status.ok()) << ToHex(key);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidKey) << CodeName(status.code());
  }
  EXPECT_FALSE(crypto::IsEd448SmallOrderEncoding(base));
}

TEST_P(Ed448KatTest, PublicKeyFromScalarArithmetic) {
  for (const EddsaVector& v : Rfc8032Vectors()) {
    SCOPED_TRACE(v.name);
    SecretBytes h = backend().Shake256(FromHex(v.secret), 114);
    Bytes s(h.data(), h.data() + 57);
    s[0] &= 0xfc;
    s[55] |= 0x80;
    s[56] = 0;
    SecretBytes scalar = backend().Ed448ScalarReduce(s);
    ASSERT_EQ(scalar.size(), kEd448ScalarSize);
    EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(scalar)), v.public_key);
    // The scalar need not be reduced for MulBase either.
    EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(SecretBytes(s))), v.public_key);
    // Nor for Mul on the base point.
    EXPECT_EQ(PointHex(backend(), backend().Ed448Mul(backend().Ed448Base(), scalar)), v.public_key);
  }
}

TEST_P(Ed448KatTest, BaseAndIdentity) {
  EXPECT_EQ(PointHex(backend(), backend().Ed448Base()), kBase);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Identity()), kIdentity);
  EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(SmallScalar(1))), kBase);
  EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(SmallScalar(0))), kIdentity);
  Result<Ed448Point> decoded = backend().Ed448Decode(FromHex(kBase));
  ASSERT_TRUE(decoded.ok()) << CodeName(decoded.code());
  EXPECT_EQ(PointHex(backend(), *decoded), kBase);
}

TEST_P(Ed448KatTest, DoublingAgrees) {
  const Ed448Point b = backend().Ed448Base();
  EXPECT_EQ(PointHex(backend(), backend().Ed448Add(b, b)), kTwoBase);
  EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(SmallScalar(2))), kTwoBase);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Mul(b, SmallScalar(2))), kTwoBase);
  // 3B = 2B + B = B + 2B; 2B - B = B.
  const Ed448Point two_b = PointFromHex(backend(), kTwoBase);
  const Ed448Point three_b = backend().Ed448MulBase(SmallScalar(3));
  EXPECT_EQ(PointHex(backend(), backend().Ed448Add(two_b, b)), PointHex(backend(), three_b));
  EXPECT_EQ(PointHex(backend(), backend().Ed448Add(b, two_b)), PointHex(backend(), three_b));
  EXPECT_EQ(PointHex(backend(), backend().Ed448Sub(two_b, b)), kBase);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Mul(two_b, SmallScalar(3))),
            PointHex(backend(), backend().Ed448MulBase(SmallScalar(6))));
}

TEST_P(Ed448KatTest, OrderTimesBaseIsIdentity) {
  const Ed448Point b = backend().Ed448Base();
  const SecretBytes q = ScalarFromHex(kOrder);
  EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(q)), kIdentity);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Mul(b, q)), kIdentity);
  // (q - 1) B = -B.
  const SecretBytes q_minus_1 = ScalarFromHex(kOrderMinusOne);
  EXPECT_EQ(PointHex(backend(), backend().Ed448MulBase(q_minus_1)),
            PointHex(backend(), backend().Ed448Negate(b)));
  EXPECT_EQ(PointHex(backend(), backend().Ed448Add(b, backend().Ed448Negate(b))), kIdentity);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Sub(b, b)), kIdentity);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Add(b, backend().Ed448Identity())), kBase);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Negate(backend().Ed448Identity())), kIdentity);
  EXPECT_EQ(PointHex(backend(), backend().Ed448Mul(backend().Ed448Identity(), SmallScalar(5))),
            kIdentity);
}

TEST_P(Ed448KatTest, DecodeRejectsInvalidPoints) {
  struct Case {
    const char* name;
    std::string_view hex;
    ErrorCode code;
  };
  const Case cases[] = {
      {"identity", kIdentity, ErrorCode::kIdentityPoint},
      {"order 2", kOrder2, ErrorCode::kNotInSubgroup},
      {"order 4, odd x", kOrder4Odd, ErrorCode::kNotInSubgroup},
      {"order 4, even x", kOrder4Even, ErrorCode::kNotInSubgroup},
      {"B + order 2", kBasePlusOrder2, ErrorCode::kNotInSubgroup},
      {"y = p", kYEqualsP, ErrorCode::kNonCanonical},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<Ed448Point> r = backend().Ed448Decode(FromHex(c.hex));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(CodeName(r.code()), CodeName(c.code));
  }
  // Wrong lengths.
  EXPECT_FALSE(backend().Ed448Decode(ByteView(FromHex(kBase)).first(56)).ok());
  Bytes long_base = FromHex(kBase);
  long_base.push_back(0);
  EXPECT_FALSE(backend().Ed448Decode(long_base).ok());
  EXPECT_FALSE(backend().Ed448Decode({}).ok());
  // y = 2 is not the y of any point: (y^2 - 1) / (d y^2 - 1) = 3 / (4d - 1)
  // is not a square mod p (checked in Python with Euler's criterion).
  Bytes y2(kEd448PointSize, 0);
  y2[0] = 2;
  Result<Ed448Point> r = backend().Ed448Decode(y2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(CodeName(r.code()), CodeName(ErrorCode::kNotOnCurve));
}

TEST_P(Ed448KatTest, ScalarDecode) {
  Result<SecretBytes> q = backend().Ed448ScalarDecode(FromHex(kOrder));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(CodeName(q.code()), CodeName(ErrorCode::kNonCanonical));
  Result<SecretBytes> q_minus_1 = backend().Ed448ScalarDecode(FromHex(kOrderMinusOne));
  ASSERT_TRUE(q_minus_1.ok()) << CodeName(q_minus_1.code());
  EXPECT_EQ(ToHex(q_minus_1->view()), kOrderMinusOne);
  Result<SecretBytes> zero = backend().Ed448ScalarDecode(Bytes(57, 0));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(ToHex(zero->view()), ToHex(Bytes(57, 0)));
  for (const Bytes& bad : {Bytes(57, 0xff), Bytes(56, 0), Bytes(58, 0), Bytes{}}) {
    Result<SecretBytes> r = backend().Ed448ScalarDecode(bad);
    ASSERT_FALSE(r.ok()) << ToHex(bad);
    EXPECT_EQ(CodeName(r.code()), CodeName(ErrorCode::kNonCanonical));
  }
}

TEST_P(Ed448KatTest, ScalarReduce) {
  // (2^912 - 1) mod L, i.e. 114 bytes of 0xff reduced (Python big integers).
  EXPECT_EQ(ToHex(backend().Ed448ScalarReduce(Bytes(114, 0xff)).view()),
            "81dee731a93f88112e1dad8707160f80293ea637fb19e320c5b624bb85c972cf17ae447cc4a34bc19c1a"
            "af70d0e4b7bc522029b723f8392900");
  // L itself, zero-extended to 114 bytes, reduces to 0; L + 5 to 5.
  Bytes wide = FromHex(kOrder);
  wide.resize(114, 0);
  EXPECT_EQ(ToHex(backend().Ed448ScalarReduce(wide).view()), ToHex(Bytes(57, 0)));
  wide[0] += 5;
  EXPECT_EQ(ToHex(backend().Ed448ScalarReduce(wide).view()), ToHex(SmallScalar(5).view()));
  // Short inputs are zero-extended.
  EXPECT_EQ(ToHex(backend().Ed448ScalarReduce(Bytes{7}).view()), ToHex(SmallScalar(7).view()));
}

TEST_P(Ed448KatTest, ScalarArithmetic) {
  const SecretBytes q_minus_1 = ScalarFromHex(kOrderMinusOne);
  // (q - 1) + 2 = 1, 0 - 1 = q - 1, (q - 1)^2 = 1, 3 * 5 = 15.
  EXPECT_EQ(ToHex(backend().Ed448ScalarAdd(q_minus_1, SmallScalar(2)).view()),
            ToHex(SmallScalar(1).view()));
  EXPECT_EQ(ToHex(backend().Ed448ScalarSub(SmallScalar(0), SmallScalar(1)).view()), kOrderMinusOne);
  EXPECT_EQ(ToHex(backend().Ed448ScalarMul(q_minus_1, q_minus_1).view()),
            ToHex(SmallScalar(1).view()));
  EXPECT_EQ(ToHex(backend().Ed448ScalarMul(SmallScalar(3), SmallScalar(5)).view()),
            ToHex(SmallScalar(15).view()));
  EXPECT_EQ(ToHex(backend().Ed448ScalarSub(SmallScalar(9), SmallScalar(4)).view()),
            ToHex(SmallScalar(5).view()));
}

}  // namespace
}  // namespace otr::crypto::testing
