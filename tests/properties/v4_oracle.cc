#include "tests/properties/v4_oracle.h"

#include <algorithm>

#include "crypto/secret_bytes.h"
#include "crypto/secret_registry.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/ratchet/derive.h"

namespace otr::properties::v4p {

namespace r = v4::ratchet;
using crypto::SecretBytes;

namespace {

constexpr size_t kEcdhSecretSize = 57;
constexpr size_t kDhSecretSize = 80;

}  // namespace

std::vector<Bytes> LiveSecretBuffers() {
  std::vector<Bytes> out;
  crypto::ForEachLiveSecret([&](ByteView b) { out.emplace_back(b.begin(), b.end()); });
  return out;
}

void V4Oracle::AddMessageKey(const Bytes& mk_enc) {
  if (!seen_.insert(mk_enc).second) return;
  keys_.push_back({mk_enc, r::DeriveMacKey(backend_, SecretBytes{ByteView(mk_enc)}).Declassify()});
}

void V4Oracle::AddChain(const Bytes& chain_key, uint32_t walk) {
  SecretBytes chain{ByteView(chain_key)};
  for (uint32_t n = 0; n <= walk; ++n) {
    const SecretBytes mk_enc = r::DeriveMessageKey(backend_, chain);
    AddMessageKey(mk_enc.Declassify());
    chain = r::NextChainKey(backend_, chain);
  }
}

V4Oracle::V4Oracle(const crypto::Backend& backend, const std::vector<Bytes>& secrets,
                   const OraclePublics& publics, uint32_t max_chain_walk)
    : backend_(backend) {
  std::set<Bytes> s64, s57, s32, s80;
  for (const Bytes& b : secrets) {
    if (b.size() == 64) s64.insert(b);
    if (b.size() == kEcdhSecretSize) s57.insert(b);
    if (b.size() == r::kBraceKeySize) s32.insert(b);
    if (b.size() == kDhSecretSize) s80.insert(b);
  }
  // Each 64-byte string as MKenc and as a chain key.
  for (const Bytes& b : s64) {
    AddMessageKey(b);
    AddChain(b, max_chain_walk);
  }
  // Brace keys: as held, one KDF step on, and from every DH secret with
  // every public DH key.
  std::set<Bytes> braces;
  for (const Bytes& b : s32) {
    braces.insert(b);
    braces.insert(r::NextBraceKey(backend_, SecretBytes{ByteView(b)}).Declassify());
  }
  const std::set<Bytes> dh_publics(publics.dh.begin(), publics.dh.end());
  for (const Bytes& d : s80) {
    const SecretBytes secret{ByteView(d)};
    // Only the secret of a public DH key the transcript shows (g3^d).
    auto own = v4::GenerateDhFromRandom(backend_, secret);
    if (!own.ok() || dh_publics.count(own->pub) == 0) continue;
    for (const Bytes& pub : publics.dh) {
      auto brace = r::DhBraceKey(backend_, secret, pub);
      if (brace.ok()) braces.insert(brace->Declassify());
    }
  }
  // K_ecdh of every ECDH secret with every public ECDH key.
  std::set<Bytes> k_ecdh;
  const std::set<crypto::Ed448Encoding> ecdh_publics(publics.ecdh.begin(), publics.ecdh.end());
  for (const Bytes& e : s57) {
    const SecretBytes secret{ByteView(e)};
    // Only the secret of a public ECDH key the transcript shows (G * e):
    // K_ecdh = ECDH(e, P) needs e to be one side of the exchange.
    if (ecdh_publics.count(backend_.Ed448Encode(backend_.Ed448MulBase(secret))) == 0) continue;
    for (const crypto::Ed448Encoding& enc : ecdh_publics) {
      auto point = backend_.Ed448Decode(enc);
      if (!point.ok()) continue;
      auto shared = r::Ecdh(backend_, secret, *point);
      if (shared.ok()) k_ecdh.insert(shared->Declassify());
    }
  }
  // One ratchet turn from every root candidate.
  std::set<Bytes> roots = s64;
  for (const Bytes& b : s64) {
    roots.insert(r::FirstRootKey(backend_, SecretBytes{ByteView(b)}).Declassify());
  }
  for (const Bytes& ke : k_ecdh) {
    const SecretBytes ke_secret{ByteView(ke)};
    for (const Bytes& brace : braces) {
      const SecretBytes k = r::MixedSharedSecret(backend_, ke_secret, SecretBytes{ByteView(brace)});
      for (const Bytes& root : roots) {
        const r::RatchetKeys keys = r::DeriveRatchetKeys(backend_, SecretBytes{ByteView(root)}, k);
        AddChain(keys.chain_key.Declassify(), max_chain_walk);
      }
    }
  }
}

std::optional<Bytes> V4Oracle::KeyFor(const v4::DataMessage& m) const {
  const Bytes sections = v4::DataMessageMacInput(m);
  for (const auto& [mk_enc, mk_mac] : keys_) {
    const SecretBytes tag = r::Authenticator(backend_, SecretBytes{ByteView(mk_mac)}, sections);
    if (crypto::ConstantTimeEqual(tag.view(), m.authenticator)) return mk_enc;
  }
  return std::nullopt;
}

std::optional<std::string> V4Oracle::Opens(const v4::DataMessage& m) const {
  const std::optional<Bytes> key = KeyFor(m);
  if (!key) return std::nullopt;
  auto plain = r::ChaCha20(backend_, SecretBytes{ByteView(*key)}, m.encrypted_message);
  if (!plain.ok()) return std::nullopt;
  return std::string(plain->begin(), plain->end());
}

}  // namespace otr::properties::v4p
