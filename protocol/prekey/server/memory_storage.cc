#include "protocol/prekey/server/memory_storage.h"

#include <algorithm>
#include <set>

namespace otr::prekey {
namespace {

bool Expired(int64_t expires, int64_t now) { return now >= expires; }

}  // namespace

MemoryStorage::MemoryStorage(const MemoryStorage& other) {
  std::lock_guard<std::mutex> lock(other.mu_);
  slots_ = other.slots_;
}

MemoryStorage& MemoryStorage::operator=(const MemoryStorage& other) {
  if (this == &other) return *this;
  std::scoped_lock lock(mu_, other.mu_);
  slots_ = other.slots_;
  return *this;
}

bool MemoryStorage::MessagesExpired(const Slot& slot, int64_t now) {
  return (slot.client_profile && Expired(slot.client_profile->expires, now)) ||
         (slot.prekey_profile && Expired(slot.prekey_profile->expires, now));
}

Status MemoryStorage::Publish(const Publication& p, int64_t /*now*/) {
  std::lock_guard<std::mutex> lock(mu_);
  // Check everything first: all of p or nothing.
  std::set<uint32_t> ids;
  auto it = slots_.find(Key{p.owner, p.instance_tag});
  for (const auto& [id, bytes] : p.prekey_messages) {
    if (!ids.insert(id).second) {
      return MakeError(ErrorCode::kInvalidEncoding, "prekey message id repeated in publication");
    }
    if (it != slots_.end()) {
      const auto& stored = it->second.prekey_messages;
      if (std::any_of(stored.begin(), stored.end(),
                      [id = id](const auto& m) { return m.first == id; })) {
        return MakeError(ErrorCode::kInvalidEncoding, "prekey message id already stored");
      }
    }
  }
  Slot& slot = slots_[Key{p.owner, p.instance_tag}];
  if (p.client_profile)
    slot.client_profile = StoredProfile{*p.client_profile, p.client_profile_expires};
  if (p.prekey_profile)
    slot.prekey_profile = StoredProfile{*p.prekey_profile, p.prekey_profile_expires};
  for (const auto& m : p.prekey_messages) slot.prekey_messages.push_back(m);
  return Status::Ok();
}

Result<uint32_t> MemoryStorage::CountPrekeyMessages(std::string_view owner, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t count = 0;
  for (auto it = slots_.lower_bound(Key{std::string(owner), 0});
       it != slots_.end() && it->first.first == owner; ++it) {
    if (!MessagesExpired(it->second, now)) count += it->second.prekey_messages.size();
  }
  return static_cast<uint32_t>(std::min<uint64_t>(count, UINT32_MAX));
}

Result<uint32_t> MemoryStorage::CountPrekeyMessagesOf(std::string_view owner, uint32_t instance_tag,
                                                      int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(Key{std::string(owner), instance_tag});
  if (it == slots_.end() || MessagesExpired(it->second, now)) return uint32_t{0};
  return static_cast<uint32_t>(std::min<uint64_t>(it->second.prekey_messages.size(), UINT32_MAX));
}

Result<std::vector<StoredEnsemble>> MemoryStorage::TakeEnsembles(std::string_view owner,
                                                                 int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StoredEnsemble> out;
  for (auto it = slots_.lower_bound(Key{std::string(owner), 0});
       it != slots_.end() && it->first.first == owner; ++it) {
    Slot& slot = it->second;
    if (!slot.client_profile || !slot.prekey_profile || slot.prekey_messages.empty()) continue;
    if (MessagesExpired(slot, now)) continue;
    out.push_back(StoredEnsemble{it->first.second, slot.client_profile->encoded,
                                 slot.prekey_profile->encoded,
                                 std::move(slot.prekey_messages.front().second)});
    slot.prekey_messages.erase(slot.prekey_messages.begin());
  }
  return out;
}

Result<uint64_t> MemoryStorage::PurgeExpired(int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t deleted = 0;
  for (auto it = slots_.begin(); it != slots_.end();) {
    Slot& slot = it->second;
    if (MessagesExpired(slot, now)) {
      deleted += slot.prekey_messages.size();
      slot.prekey_messages.clear();
    }
    if (slot.client_profile && Expired(slot.client_profile->expires, now)) {
      slot.client_profile.reset();
      ++deleted;
    }
    if (slot.prekey_profile && Expired(slot.prekey_profile->expires, now)) {
      slot.prekey_profile.reset();
      ++deleted;
    }
    if (!slot.client_profile && !slot.prekey_profile && slot.prekey_messages.empty()) {
      it = slots_.erase(it);
    } else {
      ++it;
    }
  }
  return deleted;
}

}  // namespace otr::prekey
