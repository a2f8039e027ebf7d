#include "protocol/v4/engine/prekey_store.h"

#include <algorithm>

namespace otr::v4 {

void InMemoryPrekeyStore::AddPrekeyProfile(OurPrekeyProfile profile, int64_t expires) {
  profiles_.push_back(StoredProfile{std::move(profile), expires});
}

const OurPrekeyProfile* InMemoryPrekeyStore::FindPrekeyProfile(wire::InstanceTag owner_tag,
                                                               int64_t now) const {
  for (auto it = profiles_.rbegin(); it != profiles_.rend(); ++it) {
    if (it->profile.profile.owner_instance_tag == owner_tag && now < it->expires) {
      return &it->profile;
    }
  }
  return nullptr;
}

const dake::PrekeySecrets* InMemoryPrekeyStore::FindPrekey(uint32_t identifier,
                                                           wire::InstanceTag owner_tag,
                                                           int64_t now) const {
  auto it = prekeys_.find({owner_tag, identifier});
  if (it == prekeys_.end() || now >= it->second.expires) return nullptr;
  return &it->second.secrets;
}

// The map node's SecretBytes (y, b) are wiped by their destructors.
void InMemoryPrekeyStore::ErasePrekey(uint32_t identifier, wire::InstanceTag owner_tag) {
  prekeys_.erase({owner_tag, identifier});
}

void InMemoryPrekeyStore::AddPrekey(dake::PrekeySecrets secrets, int64_t expires) {
  const auto key = std::make_pair(secrets.owner_instance_tag, secrets.identifier);
  prekeys_.insert_or_assign(key, StoredPrekey{std::move(secrets), expires});
}

size_t InMemoryPrekeyStore::DeleteExpired(int64_t now) {
  const size_t before = prekeys_.size() + profiles_.size();
  std::erase_if(prekeys_, [&](const auto& entry) { return now >= entry.second.expires; });
  std::erase_if(profiles_, [&](const StoredProfile& p) { return now >= p.expires; });
  return before - prekeys_.size() - profiles_.size();
}

void InMemoryPrekeyStore::KeepPrekeysUntil(wire::InstanceTag owner_tag, int64_t expires) {
  for (auto& [key, stored] : prekeys_) {
    if (key.first == owner_tag) stored.expires = std::max(stored.expires, expires);
  }
}

Result<std::vector<PrekeyMessage>> GeneratePrekeyMessages(const crypto::Backend& backend,
                                                          PrekeyStore& store,
                                                          wire::InstanceTag owner_tag, size_t count,
                                                          int64_t expires, int64_t now,
                                                          crypto::Random& random) {
  std::vector<PrekeyMessage> out;
  out.reserve(count);
  while (out.size() < count) {
    OTR_ASSIGN_OR_RETURN(dake::MadePrekeyMessage made,
                         dake::MakePrekeyMessage(backend, owner_tag, random));
    // "Generate a unique random id": a draw that names a stored one is redrawn.
    const bool taken = store.FindPrekey(made.message.identifier, owner_tag, now) != nullptr ||
                       std::any_of(out.begin(), out.end(), [&](const PrekeyMessage& m) {
                         return m.identifier == made.message.identifier;
                       });
    if (taken) continue;
    out.push_back(made.message);
    store.AddPrekey(std::move(made.secrets), expires);
  }
  return out;
}

}  // namespace otr::v4
