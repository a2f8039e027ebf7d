// The prekey server's in-memory store (protocol/prekey/server/memory_storage.h)
// against a model of the storage contract (storage.h, decision 0012): fuzzed
// publications (profiles with their expiries, prekey message ids repeated
// within a publication or against stored ones), counts, takes, purges,
// copies, and time passing, for three owners and three instance tags each.
// prekey_server_fuzzer reaches the store only through valid publications
// from one client and never purges or copies it.
//
// Input: records of [op][bytes the op reads] (ByteSource, zeros past the
// end), at most 256:
//   op 0: publish [owner][tag][flags][cp expiry][pp expiry][n] then n ids
//         (flags bit 0: a Client Profile, bit 1: a Prekey Profile)
//   op 1: CountPrekeyMessages [owner]; op 2: CountPrekeyMessagesOf [owner][tag]
//   op 3: TakeEnsembles [owner]; op 4: PurgeExpired
//   op 5: [seconds] time passes; op 6: the store is copied and assigned back
// Invariant: every answer is the model's (storage.h's contract: expiry at
// now >= expires, a repeated id stores nothing, the first published message
// taken first, ensembles in instance tag order, purge counts).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/support/harness.h"
#include "protocol/prekey/server/memory_storage.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;

constexpr int64_t kStart = 1'700'000'000;
const char* const kOwners[3] = {"alice@localhost", "bob@localhost", "alice@localhost2"};

struct ModelSlot {
  std::optional<int64_t> client_profile, prekey_profile;  // expiries
  std::vector<std::pair<uint32_t, Bytes>> messages;
};
using Model = std::map<std::pair<std::string, uint32_t>, ModelSlot>;

bool Expired(const std::optional<int64_t>& expires, int64_t now) {
  return expires && now >= *expires;
}
bool MessagesExpired(const ModelSlot& s, int64_t now) {
  return Expired(s.client_profile, now) || Expired(s.prekey_profile, now);
}

void Publish(prekey::MemoryStorage& storage, Model& model, int64_t now, ByteSource& in) {
  prekey::Publication p;
  p.owner = kOwners[in.Next() % 3];
  p.instance_tag = 0x100 + in.Next() % 3;
  const uint8_t flags = in.Next();
  const int64_t cp = now + static_cast<int8_t>(in.Next()) * 60;
  const int64_t pp = now + static_cast<int8_t>(in.Next()) * 60;
  if (flags & 1) {
    p.client_profile = Bytes{1, flags};
    p.client_profile_expires = cp;
  }
  if (flags & 2) {
    p.prekey_profile = Bytes{2, flags};
    p.prekey_profile_expires = pp;
  }
  for (size_t n = in.Next() % 5; n > 0; --n) {
    const uint32_t id = in.Next() % 8;
    p.prekey_messages.push_back({id, Bytes{3, static_cast<uint8_t>(id), in.Next()}});
  }
  // The contract: a repeated id, within p or against the stored ones, fails.
  const auto key = std::make_pair(p.owner, p.instance_tag);
  bool repeated = false;
  std::set<uint32_t> ids;
  for (const auto& [id, bytes] : p.prekey_messages) {
    if (!ids.insert(id).second) repeated = true;
    auto it = model.find(key);
    if (it != model.end()) {
      for (const auto& m : it->second.messages) repeated |= m.first == id;
    }
  }
  const Status s = storage.Publish(p, now);
  if (s.ok() == repeated) OTR_FUZZ_FAIL();
  if (!s.ok()) return;
  ModelSlot& slot = model[key];
  if (p.client_profile) slot.client_profile = cp;
  if (p.prekey_profile) slot.prekey_profile = pp;
  for (const auto& m : p.prekey_messages) slot.messages.push_back(m);
}

uint32_t ModelCount(const Model& model, const std::string& owner, int64_t now) {
  uint32_t count = 0;
  for (const auto& [key, slot] : model) {
    if (key.first == owner && !MessagesExpired(slot, now)) {
      count += static_cast<uint32_t>(slot.messages.size());
    }
  }
  return count;
}

void CheckSame(prekey::MemoryStorage& storage, const Model& model, int64_t now) {
  for (const char* owner : kOwners) {
    auto n = storage.CountPrekeyMessages(owner, now);
    if (!n.ok() || *n != ModelCount(model, owner, now)) OTR_FUZZ_FAIL();
  }
}

void Run(prekey::MemoryStorage& storage, Model& model, int64_t& now, uint8_t op, ByteSource& in) {
  switch (op % 7) {
    case 0:
      Publish(storage, model, now, in);
      break;
    case 1: {
      const std::string owner = kOwners[in.Next() % 3];
      auto n = storage.CountPrekeyMessages(owner, now);
      if (!n.ok() || *n != ModelCount(model, owner, now)) OTR_FUZZ_FAIL();
      break;
    }
    case 2: {
      const std::string owner = kOwners[in.Next() % 3];
      const uint32_t tag = 0x100 + in.Next() % 4;  // 0x103: never published
      auto n = storage.CountPrekeyMessagesOf(owner, tag, now);
      auto it = model.find({owner, tag});
      const uint32_t expected = it == model.end() || MessagesExpired(it->second, now)
                                    ? 0
                                    : static_cast<uint32_t>(it->second.messages.size());
      if (!n.ok() || *n != expected) OTR_FUZZ_FAIL();
      break;
    }
    case 3: {
      const std::string owner = kOwners[in.Next() % 3];
      auto taken = storage.TakeEnsembles(owner, now);
      if (!taken.ok()) OTR_FUZZ_FAIL();
      size_t i = 0;
      for (auto& [key, slot] : model) {  // in instance tag order
        if (key.first != owner || !slot.client_profile || !slot.prekey_profile ||
            slot.messages.empty() || MessagesExpired(slot, now)) {
          continue;
        }
        if (i >= taken->size()) OTR_FUZZ_FAIL();
        const prekey::StoredEnsemble& e = (*taken)[i++];
        if (e.instance_tag != key.second || e.prekey_message != slot.messages.front().second) {
          OTR_FUZZ_FAIL();
        }
        slot.messages.erase(slot.messages.begin());
      }
      if (i != taken->size()) OTR_FUZZ_FAIL();
      break;
    }
    case 4: {
      uint64_t deleted = 0;
      for (auto it = model.begin(); it != model.end();) {
        ModelSlot& slot = it->second;
        if (MessagesExpired(slot, now)) {
          deleted += slot.messages.size();
          slot.messages.clear();
        }
        if (Expired(slot.client_profile, now)) {
          slot.client_profile.reset();
          ++deleted;
        }
        if (Expired(slot.prekey_profile, now)) {
          slot.prekey_profile.reset();
          ++deleted;
        }
        const bool empty = !slot.client_profile && !slot.prekey_profile && slot.messages.empty();
        it = empty ? model.erase(it) : std::next(it);
      }
      auto purged = storage.PurgeExpired(now);
      if (!purged.ok() || *purged != deleted) OTR_FUZZ_FAIL();
      break;
    }
    case 5:
      now += int64_t{in.Next()} * 30;
      break;
    default: {
      // Copies are deep: the copy answers as the model, and so does the
      // original assigned from it (and from itself).
      prekey::MemoryStorage copy(storage);
      CheckSame(copy, model, now);
      prekey::MemoryStorage& alias = storage;
      storage = alias;
      storage = copy;
      break;
    }
  }
  CheckSame(storage, model, now);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  prekey::MemoryStorage storage;
  Model model;
  int64_t now = kStart;
  ByteSource in(ByteView(data, size));
  for (int i = 0; i < 256 && !in.empty(); ++i) Run(storage, model, now, in.Next(), in);
  return 0;
}
