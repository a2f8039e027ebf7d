#include "tools/chat_prekey_store.h"

#include <algorithm>
#include <memory>

#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/messages/profile.h"

namespace otr::tools {

Outcome<std::unique_ptr<FilePrekeyStore>> FilePrekeyStore::Open(const crypto::Backend& backend,
                                                                std::string dir,
                                                                std::string account,
                                                                std::string protocol, int64_t now) {
  auto entries = LoadV4Prekeys(dir);
  if (!entries.ok()) return Failure{entries.error()};
  std::unique_ptr<FilePrekeyStore> store(
      new FilePrekeyStore(std::move(dir), std::move(account), std::move(protocol)));
  for (V4PrekeyEntry& e : *entries) {
    if (e.account != store->account_ || e.protocol != store->protocol_) continue;
    if (now >= e.expires) {  // "securely deleted" after the extra validity
      store->dirty_ = true;
      continue;
    }
    if (e.kind == V4PrekeyEntry::Kind::kProfile) {
      auto profile = v4::DecodePrekeyProfile(e.prekey_profile);
      if (!profile.ok()) return Failure{"otr.v4_prekeys: a Prekey Profile does not decode"};
      store->memory_.AddPrekeyProfile(v4::OurPrekeyProfile{*profile, e.secret}, e.expires);
    } else {
      v4::dake::PrekeySecrets secrets;
      secrets.identifier = e.identifier;
      secrets.owner_instance_tag = e.owner_tag;
      // Y was not stored: G * y again (its encoding with it).
      auto ecdh = v4::EcdhKeyPair::FromSecret(backend, e.secret);
      if (!ecdh.ok()) return Failure{"otr.v4_prekeys: a prekey's y does not give a key"};
      secrets.ecdh = std::move(ecdh).value();
      auto dh = v4::GenerateDhFromRandom(backend, e.dh_secret);
      if (!dh.ok()) return Failure{"otr.v4_prekeys: a prekey's B does not give a key"};
      secrets.dh = std::move(dh).value();
      store->memory_.AddPrekey(std::move(secrets), e.expires);
    }
    store->ours_.push_back(std::move(e));
  }
  return store;
}

V4PrekeyEntry FilePrekeyStore::Entry(V4PrekeyEntry::Kind kind, int64_t expires) const {
  V4PrekeyEntry e;
  e.account = account_;
  e.protocol = protocol_;
  e.kind = kind;
  e.expires = expires;
  return e;
}

const v4::OurPrekeyProfile* FilePrekeyStore::FindPrekeyProfile(wire::InstanceTag owner_tag,
                                                               int64_t now) const {
  return memory_.FindPrekeyProfile(owner_tag, now);
}

const v4::dake::PrekeySecrets* FilePrekeyStore::FindPrekey(uint32_t identifier,
                                                           wire::InstanceTag owner_tag,
                                                           int64_t now) const {
  return memory_.FindPrekey(identifier, owner_tag, now);
}

void FilePrekeyStore::ErasePrekey(uint32_t identifier, wire::InstanceTag owner_tag) {
  memory_.ErasePrekey(identifier, owner_tag);
  std::erase_if(ours_, [&](const V4PrekeyEntry& e) {
    return e.kind == V4PrekeyEntry::Kind::kPrekey && e.identifier == identifier &&
           e.owner_tag == owner_tag;
  });
  dirty_ = true;
}

void FilePrekeyStore::AddPrekey(v4::dake::PrekeySecrets secrets, int64_t expires) {
  std::erase_if(ours_, [&](const V4PrekeyEntry& e) {
    return e.kind == V4PrekeyEntry::Kind::kPrekey && e.identifier == secrets.identifier &&
           e.owner_tag == secrets.owner_instance_tag;
  });
  V4PrekeyEntry e = Entry(V4PrekeyEntry::Kind::kPrekey, expires);
  e.identifier = secrets.identifier;
  e.owner_tag = secrets.owner_instance_tag;
  e.secret = secrets.ecdh.secret();
  e.dh_secret = secrets.dh.secret;
  ours_.push_back(std::move(e));
  memory_.AddPrekey(std::move(secrets), expires);
  dirty_ = true;
}

void FilePrekeyStore::AddPrekeyProfile(v4::OurPrekeyProfile profile, int64_t expires) {
  V4PrekeyEntry e = Entry(V4PrekeyEntry::Kind::kProfile, expires);
  e.prekey_profile = v4::EncodePrekeyProfile(profile.profile);
  e.secret = profile.shared_prekey_secret;
  ours_.push_back(std::move(e));
  memory_.AddPrekeyProfile(std::move(profile), expires);
  dirty_ = true;
}

size_t FilePrekeyStore::DeleteExpired(int64_t now) {
  const size_t n = memory_.DeleteExpired(now);
  if (std::erase_if(ours_, [&](const V4PrekeyEntry& e) { return now >= e.expires; }) > 0) {
    dirty_ = true;
  }
  return n;
}

void FilePrekeyStore::KeepPrekeysUntil(wire::InstanceTag owner_tag, int64_t expires) {
  memory_.KeepPrekeysUntil(owner_tag, expires);
  for (V4PrekeyEntry& e : ours_) {
    if (e.kind == V4PrekeyEntry::Kind::kPrekey && e.owner_tag == owner_tag && e.expires < expires) {
      e.expires = expires;
      dirty_ = true;
    }
  }
}

Outcome<Done> FilePrekeyStore::Flush() {
  if (!dirty_) return Done{};
  // Read again first: another process's account (another `otr chat` on the
  // same directory) may have written its lines meanwhile; they are kept.
  auto all = LoadV4Prekeys(dir_);
  if (!all.ok()) return Failure{all.error()};
  std::erase_if(*all, [&](const V4PrekeyEntry& e) {
    return e.account == account_ && e.protocol == protocol_;
  });
  for (const auto& e : ours_) all->push_back(e);
  auto saved = SaveV4Prekeys(dir_, *all);
  if (saved.ok()) dirty_ = false;
  return saved;
}

}  // namespace otr::tools
