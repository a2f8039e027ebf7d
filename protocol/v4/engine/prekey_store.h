// Our prekey material for offline conversations (otrv4.md, "Publishing
// Prekey Ensembles", "Prekey Message", "Receiving a Non-Interactive-Auth
// Message"): the Prekey Profile's shared prekey secret, and the private
// values of every Prekey Message we published, by identifier and instance
// tag, until a Non-Interactive-Auth uses one ("Each Prekey message contains
// two one-time use ephemeral public prekey values": erased on use) or its
// Prekey Profile expires (with the profiles' extra validity: "so they can
// be used when delayed encrypted offline messages arrive. After this extra
// validity time ends, they must be securely deleted").
//
// Sans-I/O: PrekeyStore is an interface the application implements over its
// own storage (and persists); InMemoryPrekeyStore keeps everything in
// memory (tests, demos, an application that persists by its own means).
// The engine looks a prekey message up in a row's guard and erases it only
// when that row commits.
#ifndef OTR_PROTOCOL_V4_ENGINE_PREKEY_STORE_H_
#define OTR_PROTOCOL_V4_ENGINE_PREKEY_STORE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/dake/xzdh.h"
#include "protocol/v4/messages/prekey_message.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/wire/instance_tag.h"

namespace otr::v4 {

// One Prekey Profile of ours with the secret of its shared prekey D.
struct OurPrekeyProfile {
  PrekeyProfile profile;
  crypto::SecretBytes shared_prekey_secret;  // sk_d (our_shared_prekey.secret)
};

class PrekeyStore {
 public:
  virtual ~PrekeyStore() = default;
  // Our Prekey Profile for `owner_tag` still usable at `now` (not past its
  // expiration plus the extra validity), the newest first; nullptr: none.
  virtual const OurPrekeyProfile* FindPrekeyProfile(wire::InstanceTag owner_tag,
                                                    int64_t now) const = 0;
  // The secrets of our Prekey Message `identifier` of `owner_tag`, unless
  // used or expired at `now`; nullptr otherwise.
  virtual const dake::PrekeySecrets* FindPrekey(uint32_t identifier, wire::InstanceTag owner_tag,
                                                int64_t now) const = 0;
  // "A prekey message is used once": forget its secrets (wiped).
  virtual void ErasePrekey(uint32_t identifier, wire::InstanceTag owner_tag) = 0;
  // Keeps the secrets of a Prekey Message we publish, usable until `expires`.
  virtual void AddPrekey(dake::PrekeySecrets secrets, int64_t expires) = 0;
  // A Prekey Profile of ours (e.g. a renewed one), usable until `expires`
  // (its expiration plus the extra validity); older ones stay until theirs.
  virtual void AddPrekeyProfile(OurPrekeyProfile profile, int64_t expires) = 0;
  // "After this extra validity time ends, they must be securely deleted":
  // forgets (wipes) every prekey message and profile expired at `now`; how many.
  virtual size_t DeleteExpired(int64_t now) = 0;
  // A renewed Prekey Profile: the server pairs the Prekey Messages it still
  // stores with it, so their secrets of `owner_tag` are kept until
  // `expires` (never shortened).
  virtual void KeepPrekeysUntil(wire::InstanceTag owner_tag, int64_t expires) = 0;
};

class InMemoryPrekeyStore final : public PrekeyStore {
 public:
  void AddPrekeyProfile(OurPrekeyProfile profile, int64_t expires) override;
  const OurPrekeyProfile* FindPrekeyProfile(wire::InstanceTag owner_tag,
                                            int64_t now) const override;
  const dake::PrekeySecrets* FindPrekey(uint32_t identifier, wire::InstanceTag owner_tag,
                                        int64_t now) const override;
  void ErasePrekey(uint32_t identifier, wire::InstanceTag owner_tag) override;
  void AddPrekey(dake::PrekeySecrets secrets, int64_t expires) override;
  size_t DeleteExpired(int64_t now) override;
  void KeepPrekeysUntil(wire::InstanceTag owner_tag, int64_t expires) override;
  size_t prekey_count() const { return prekeys_.size(); }
  size_t profile_count() const { return profiles_.size(); }

 private:
  struct StoredPrekey {
    dake::PrekeySecrets secrets;
    int64_t expires = 0;
  };
  struct StoredProfile {
    OurPrekeyProfile profile;
    int64_t expires = 0;
  };
  std::map<std::pair<wire::InstanceTag, uint32_t>, StoredPrekey> prekeys_;
  std::vector<StoredProfile> profiles_;  // in the order added (newest last)
};

// "Publishing Prekey Messages": `count` new Prekey Messages of `owner_tag`
// (identifiers not already in `store` for that tag), their secrets kept in
// `store` until `expires` (the Prekey Profile's expiration plus the extra
// validity). The messages are what goes to the prekey server.
Result<std::vector<PrekeyMessage>> GeneratePrekeyMessages(const crypto::Backend& backend,
                                                          PrekeyStore& store,
                                                          wire::InstanceTag owner_tag, size_t count,
                                                          int64_t expires, int64_t now,
                                                          crypto::Random& random);

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_ENGINE_PREKEY_STORE_H_
