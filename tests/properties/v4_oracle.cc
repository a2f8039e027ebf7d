#include "tests/properties/v4_oracle.h"

#include <algorithm>

#include "crypto/secret_bytes.h"
#include "crypto/secret_registry.h"
#include "protocol/v4/crypto/dh3072.h"
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
                   const OraclePublics& publics, uint32_t max_chain_walk, OracleMemo* memo)
    : backend_(backend) {
  OracleMemo local;
  OracleMemo& m = memo != nullptr ? *memo : local;
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
    auto own = m.dh_public.find(d);
    if (own == m.dh_public.end()) {
      auto pair = v4::GenerateDhFromRandom(backend_, secret);
      own = m.dh_public
                .emplace(d, pair.ok() ? std::optional<Bytes>(pair->pub.ToBytes()) : std::nullopt)
                .first;
    }
    if (!own->second || dh_publics.count(*own->second) == 0) continue;
    // k_dh = pub ^ d mod dh_p, then the brace key. The attacker skips the
    // receiver's subgroup check of pub (r::DhBraceKey does it, at 7-20 ms a
    // key, most of a case's time): every public key here is from the
    // transcript, where its receiver checked it, and the check changes no
    // key it derives.
    for (const Bytes& pub : dh_publics) {
      auto brace = m.dh_brace.find({d, pub});
      if (brace == m.dh_brace.end()) {
        auto k_dh = backend_.ModExp(pub, secret, v4::Dh3072Group().p);
        std::optional<Bytes> b;
        if (k_dh.ok()) b = r::BraceKeyFromDh(backend_, *k_dh).Declassify();
        brace = m.dh_brace.emplace(std::make_pair(d, pub), std::move(b)).first;
      }
      if (brace->second) braces.insert(*brace->second);
    }
  }
  // K_ecdh of every ECDH secret with every public ECDH key.
  std::set<Bytes> k_ecdh;
  const std::set<crypto::Ed448Encoding> ecdh_publics(publics.ecdh.begin(), publics.ecdh.end());
  for (const Bytes& e : s57) {
    const SecretBytes secret{ByteView(e)};
    // Only the secret of a public ECDH key the transcript shows (G * e):
    // K_ecdh = ECDH(e, P) needs e to be one side of the exchange.
    auto own = m.ecdh_public.find(e);
    if (own == m.ecdh_public.end()) {
      own = m.ecdh_public.emplace(e, backend_.Ed448Encode(backend_.Ed448MulBase(secret))).first;
    }
    if (ecdh_publics.count(own->second) == 0) continue;
    for (const crypto::Ed448Encoding& enc : ecdh_publics) {
      const auto key = std::make_pair(e, Bytes(enc.begin(), enc.end()));
      auto shared = m.ecdh_shared.find(key);
      if (shared == m.ecdh_shared.end()) {
        std::optional<Bytes> k;
        if (auto point = backend_.Ed448Decode(enc); point.ok()) {
          if (auto ke = r::Ecdh(backend_, secret, *point); ke.ok()) k = ke->Declassify();
        }
        shared = m.ecdh_shared.emplace(key, std::move(k)).first;
      }
      if (shared->second) k_ecdh.insert(*shared->second);
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
