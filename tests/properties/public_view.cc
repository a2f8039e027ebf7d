#include "tests/properties/public_view.h"

#include <algorithm>

#include "protocol/wire/reader.h"

namespace otr::properties {

std::vector<v3::MacKey> RevealedKeys(const std::vector<Sent>& transcript, size_t end) {
  std::vector<v3::MacKey> keys;
  for (size_t i = 0; i < end && i < transcript.size(); ++i) {
    if (const v3::DataMessage* m = transcript[i].data()) {
      keys.insert(keys.end(), m->old_mac_keys.begin(), m->old_mac_keys.end());
    }
  }
  return keys;
}

std::vector<Bytes> PublicDhValues(const crypto::Backend& backend,
                                  const std::vector<Sent>& transcript) {
  std::vector<Bytes> out;
  std::vector<const v3::DhCommit*> commits;
  std::vector<const v3::RevealSignature*> reveals;
  for (const Sent& e : transcript) {
    if (!e.decoded) continue;
    if (const auto* m = std::get_if<v3::DhKey>(&*e.decoded)) out.push_back(m->gy);
    if (const auto* m = std::get_if<v3::DataMessage>(&*e.decoded)) out.push_back(m->next_dh);
    if (const auto* m = std::get_if<v3::DhCommit>(&*e.decoded)) commits.push_back(m);
    if (const auto* m = std::get_if<v3::RevealSignature>(&*e.decoded)) reveals.push_back(m);
  }
  // "Reveal Signature Message: r" opens "AES_r(g^x)" (initial counter 0).
  const Bytes zero_ctr(crypto::kAesCtrTopHalfSize, 0);
  for (const v3::DhCommit* c : commits) {
    for (const v3::RevealSignature* r : reveals) {
      const crypto::SecretBytes key(r->revealed_key);
      Bytes mpi(c->encrypted_gx.size());
      if (!backend.Aes128Ctr(key, zero_ctr, c->encrypted_gx, mpi).ok()) continue;
      const Bytes hash = backend.Hash(crypto::HashAlgorithm::kSha256, mpi);
      if (!std::equal(hash.begin(), hash.end(), c->hashed_gx.begin(), c->hashed_gx.end())) {
        continue;
      }
      wire::Reader reader(mpi);
      auto gx = reader.ReadMpi(v3::kDhModulusSize);
      if (gx.ok()) out.emplace_back(gx->begin(), gx->end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Bytes ChosenPlaintext(const std::string& original, uint64_t seed) {
  Bytes out(original.size());
  for (size_t i = 0; i < out.size(); ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    out[i] = static_cast<uint8_t>(0x20 + (seed >> 33) % 0x5f);
  }
  if (!out.empty() && std::equal(out.begin(), out.end(), original.begin())) {
    out[0] = static_cast<uint8_t>(out[0] == 'A' ? 'B' : 'A');
  }
  return out;
}

bool Contains(ByteView haystack, ByteView needle) {
  if (needle.empty() || needle.size() > haystack.size()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

}  // namespace otr::properties
