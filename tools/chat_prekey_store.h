// The PrekeyStore of `otr chat` (protocol/v4/engine/prekey_store.h): what
// the account published for offline conversations, kept in the store
// directory's otr.v4_prekeys (tools/keystore_v4.h) so that a
// Non-Interactive-Auth that arrives after a restart (an offline message
// stored by the XMPP server) can still be read, and so that a used Prekey
// Message's secrets are gone from the disk too ("a prekey message is used
// once"). Lookups go to an InMemoryPrekeyStore; every change is mirrored in
// the file's entries, written by Flush (the chat flushes after each call
// into the Session or OfflineMaintenance, before what they produced leaves).
#ifndef OTR_TOOLS_CHAT_PREKEY_STORE_H_
#define OTR_TOOLS_CHAT_PREKEY_STORE_H_

#include <string>
#include <vector>

#include "crypto/backend.h"
#include "protocol/v4/engine/prekey_store.h"
#include "tools/keystore_v4.h"
#include "tools/outcome.h"

namespace otr::tools {

class FilePrekeyStore final : public v4::PrekeyStore {
 public:
  // The account's entries of `dir`'s file (Flush keeps the others' lines);
  // entries expired at `now` are dropped. A line that does not decode (a
  // profile, a secret that gives no key) is a failure naming it.
  static Outcome<std::unique_ptr<FilePrekeyStore>> Open(const crypto::Backend& backend,
                                                        std::string dir, std::string account,
                                                        std::string protocol, int64_t now);

  const v4::OurPrekeyProfile* FindPrekeyProfile(wire::InstanceTag owner_tag,
                                                int64_t now) const override;
  const v4::dake::PrekeySecrets* FindPrekey(uint32_t identifier, wire::InstanceTag owner_tag,
                                            int64_t now) const override;
  void ErasePrekey(uint32_t identifier, wire::InstanceTag owner_tag) override;
  void AddPrekey(v4::dake::PrekeySecrets secrets, int64_t expires) override;
  void AddPrekeyProfile(v4::OurPrekeyProfile profile, int64_t expires) override;
  size_t DeleteExpired(int64_t now) override;
  void KeepPrekeysUntil(wire::InstanceTag owner_tag, int64_t expires) override;

  // Writes the file when something changed since the last Flush: the
  // file as it is now, with our account's lines replaced by ours.
  Outcome<Done> Flush();
  size_t prekey_count() const { return memory_.prekey_count(); }

 private:
  FilePrekeyStore(std::string dir, std::string account, std::string protocol)
      : dir_(std::move(dir)), account_(std::move(account)), protocol_(std::move(protocol)) {}
  V4PrekeyEntry Entry(V4PrekeyEntry::Kind kind, int64_t expires) const;

  std::string dir_;
  std::string account_;
  std::string protocol_;
  v4::InMemoryPrekeyStore memory_;
  std::vector<V4PrekeyEntry> ours_;  // mirrors memory_
  bool dirty_ = false;
};

}  // namespace otr::tools

#endif  // OTR_TOOLS_CHAT_PREKEY_STORE_H_
