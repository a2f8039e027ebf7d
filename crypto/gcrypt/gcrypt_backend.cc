// The Backend implementation: each method forwards to the file that does
// that job (hash.cc, cipher.cc, mpi.cc, dsa.cc, ed448.cc, eddsa.cc).
#include "crypto/gcrypt/gcrypt_backend.h"

#include "crypto/gcrypt/cipher.h"
#include "crypto/gcrypt/dsa.h"
#include "crypto/gcrypt/ed448.h"
#include "crypto/gcrypt/eddsa.h"
#include "crypto/gcrypt/hash.h"
#include "crypto/gcrypt/init.h"
#include "crypto/gcrypt/keyed.h"
#include "crypto/gcrypt/mpi.h"
#include "crypto/sodium/xsalsa20.h"

namespace otr::crypto {
namespace {

namespace gi = gcrypt_internal;

class GcryptBackendImpl final : public Backend {
 public:
  GcryptBackendImpl() { gi::EnsureInitialized(); }

  std::string_view name() const override { return "gcrypt"; }

  std::unique_ptr<HashContext> NewHash(HashAlgorithm alg) const override {
    return gi::NewGcryptHash(alg);
  }
  std::unique_ptr<HashContext> NewHmac(HashAlgorithm alg, ByteView key) const override {
    return gi::NewGcryptHmac(alg, key);
  }
  std::unique_ptr<KeyedHmac> NewKeyedHmac(HashAlgorithm alg,
                                          const SecretBytes& key) const override {
    return gi::NewGcryptKeyedHmac(alg, key);
  }
  std::unique_ptr<XofContext> NewShake256() const override { return gi::NewGcryptShake256(); }

  Status Aes128Ctr(const SecretBytes& key, ByteView top_half, ByteView in,
                   MutableByteView out) const override {
    return gi::GcryptAes128Ctr(key, top_half, in, out);
  }
  Result<std::unique_ptr<KeyedAes128Ctr>> NewKeyedAes128Ctr(const SecretBytes& key) const override {
    return gi::NewGcryptKeyedAes128Ctr(key);
  }
  Status ChaCha20(const SecretBytes& key, ByteView nonce, uint32_t counter, ByteView in,
                  MutableByteView out) const override {
    return gi::GcryptChaCha20(key, nonce, counter, in, out);
  }
  Status XSalsa20(const SecretBytes& key, ByteView nonce, ByteView in,
                  MutableByteView out) const override {
    return sodium::XSalsa20(key, nonce, in, out);
  }

  Result<SecretBytes> ModExp(ByteView base, const SecretBytes& exponent,
                             ByteView m) const override {
    return gi::GcryptModExp(base, exponent, m);
  }
  Result<Bytes> ModExpPublic(ByteView base, ByteView exponent, ByteView m) const override {
    return gi::GcryptModExpPublic(base, exponent, m);
  }
  // ModExp2Public: the default (two sliding-window gcry_mpi_powm and a
  // product) is faster on libgcrypt than a fixed-window product of two.
  Result<SecretBytes> ModExp2(ByteView base1, const SecretBytes& exponent1, ByteView base2,
                              const SecretBytes& exponent2, ByteView m) const override {
    return gi::GcryptModExp2(base1, exponent1, base2, exponent2, m);
  }
  Result<int> JacobiPublic(ByteView a, ByteView n) const override {
    return gi::GcryptJacobiPublic(a, n);
  }
  Result<SecretBytes> ModMul(ByteView a, ByteView b, ByteView m) const override {
    return gi::GcryptModMul(a, b, m);
  }
  Result<SecretBytes> ModAdd(ByteView a, ByteView b, ByteView m) const override {
    return gi::GcryptModAdd(a, b, m);
  }
  Result<SecretBytes> ModSub(ByteView a, ByteView b, ByteView m) const override {
    return gi::GcryptModSub(a, b, m);
  }
  Result<SecretBytes> ModInverse(ByteView a, ByteView m) const override {
    return gi::GcryptModInverse(a, m);
  }
  Result<SecretBytes> Mod(ByteView a, ByteView m) const override { return gi::GcryptMod(a, m); }
  int Compare(ByteView a, ByteView b) const override { return gi::GcryptCompare(a, b); }

  Result<DsaPrivateKey> GenerateDsaKey() const override { return gi::GcryptGenerateDsaKey(); }
  Status DsaVerify(const DsaPublicKey& key, ByteView message, ByteView signature) const override {
    return gi::GcryptDsaVerify(key, message, signature);
  }

  Result<Ed448Point> Ed448Decode(ByteView encoded) const override {
    return gi::GcryptEd448Decode(encoded);
  }
  Ed448Point Ed448Base() const override { return gi::GcryptEd448Base(); }
  Ed448Point Ed448Identity() const override { return gi::GcryptEd448Identity(); }
  Ed448Point Ed448Add(const Ed448Point& a, const Ed448Point& b) const override {
    return gi::GcryptEd448Add(a, b);
  }
  Ed448Point Ed448Sub(const Ed448Point& a, const Ed448Point& b) const override {
    return gi::GcryptEd448Sub(a, b);
  }
  Ed448Point Ed448Negate(const Ed448Point& a) const override { return gi::GcryptEd448Negate(a); }
  Ed448Point Ed448Mul(const Ed448Point& point, const SecretBytes& scalar) const override {
    return gi::GcryptEd448Mul(point, scalar);
  }
  Ed448Point Ed448MulBase(const SecretBytes& scalar) const override {
    return gi::GcryptEd448MulBase(scalar);
  }
  // Ed448MulAdd, Ed448MulBaseAddPublic: the defaults (two constant-time
  // multiplications and an addition), decision 0033.
  Ed448Encoding Ed448Encode(const Ed448Point& point) const override {
    return gi::GcryptEd448Encode(point);
  }
  bool Ed448Equal(const Ed448Point& a, const Ed448Point& b) const override {
    return gi::GcryptEd448Equal(a, b);
  }

  Result<SecretBytes> Ed448ScalarDecode(ByteView encoded) const override {
    return gi::GcryptEd448ScalarDecode(encoded);
  }
  SecretBytes Ed448ScalarReduce(ByteView little_endian) const override {
    return gi::GcryptEd448ScalarReduce(little_endian);
  }
  SecretBytes Ed448ScalarAdd(const SecretBytes& a, const SecretBytes& b) const override {
    return gi::GcryptEd448ScalarAdd(a, b);
  }
  SecretBytes Ed448ScalarSub(const SecretBytes& a, const SecretBytes& b) const override {
    return gi::GcryptEd448ScalarSub(a, b);
  }
  SecretBytes Ed448ScalarMul(const SecretBytes& a, const SecretBytes& b) const override {
    return gi::GcryptEd448ScalarMul(a, b);
  }

  Result<Bytes> Ed448DerivePublicKey(const SecretBytes& seed) const override {
    return gi::GcryptEd448DerivePublicKey(seed);
  }
  Result<Bytes> Ed448Sign(const SecretBytes& seed, ByteView message) const override {
    return gi::GcryptEd448Sign(seed, message);
  }
  Status Ed448Verify(ByteView public_key, ByteView message, ByteView signature) const override {
    return gi::GcryptEd448Verify(public_key, message, signature);
  }
};

}  // namespace

const Backend& GcryptBackend() {
  static const GcryptBackendImpl backend;
  return backend;
}

}  // namespace otr::crypto
