// Forward secrecy (otr v3 spec, "Key Management" and the protocol's goal
// that old keys, once forgotten, leave nothing to recover old messages
// from). After a random conversation (and separately after both parties
// end OTR) take everything both still hold: every live secret buffer in
// the process (crypto/secret_registry.h: the long-term DSA keys, the
// current session state, anything else), plus the whole public transcript.
// From that material derive every key we can:
//   - each 16-byte buffer as an AES key (and its MAC key SHA-1(AES));
//   - each 20-byte buffer as a MAC key;
//   - each buffer shaped like secbytes (4-byte length + MPI) through h1;
//   - each buffer that is the exponent of a D-H public value seen in the
//     transcript, with every other public value of the transcript, through
//     secbytes and h1, in both "high/low" orientations.
// None of them may authenticate, or decrypt to its known text, any Data
// Message sent under keys that have since been rotated out (after the
// end: any Data Message of the session).
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <set>

#include "crypto/modp_group.h"
#include "crypto/secret_registry.h"
#include "protocol/v3/keys/data_keys.h"
#include "tests/properties/driver.h"
#include "tests/properties/fixture.h"
#include "tests/properties/property_check.h"
#include "tests/properties/public_view.h"
#include "tools/forgery.h"

namespace otr::properties {
namespace {

using ForwardSecrecyTest = PropertyTest;

struct Candidates {
  std::set<Bytes> aes;
  std::set<Bytes> mac;
};

// The data keys of shared secret s, both directions ("high" and "low").
void AddFromSharedSecret(const crypto::Backend& backend, const crypto::SecretBytes& s,
                         Candidates& c) {
  const Bytes low{1}, high{2};
  const v3::DataKeys keys = v3::DeriveDataKeys(backend, high, low, s);
  for (const crypto::SecretBytes* k : {&keys.send_aes, &keys.recv_aes}) {
    c.aes.insert(k->Declassify());
  }
  for (const crypto::SecretBytes* k : {&keys.send_mac, &keys.recv_mac}) {
    c.mac.insert(k->Declassify());
  }
}

Candidates Derive(const crypto::Backend& backend, const std::vector<Bytes>& held,
                  const std::vector<Bytes>& publics) {
  const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
  const std::set<Bytes> public_set(publics.begin(), publics.end());
  Candidates c;
  for (const Bytes& b : held) {
    const crypto::SecretBytes secret(b);
    if (b.size() == 16) {
      c.aes.insert(b);
      c.mac.insert(tools::MacKeyFromAesKey(backend, secret).Declassify());
    }
    if (b.size() == 20) c.mac.insert(b);
    if (b.size() > 4) {
      const size_t len = (size_t{b[0]} << 24) | (size_t{b[1]} << 16) | (size_t{b[2]} << 8) | b[3];
      if (len == b.size() - 4) {
        AddFromSharedSecret(backend, crypto::SecretBytes(ByteView(b).subspan(4)), c);
      }
    }
    if (b.empty() || b.size() > 64) continue;  // D-H exponents are 40 bytes
    auto pub = backend.ModExp(group.g, secret, group.p);
    if (!pub.ok() || public_set.count(pub->Declassify()) == 0) continue;
    for (const Bytes& other : publics) {
      auto s = crypto::DhSharedSecret(backend, group, secret, other);
      if (s.ok()) AddFromSharedSecret(backend, *s, c);
    }
  }
  return c;
}

// A short known text is no evidence: a wrong AES key turns an n-byte
// ciphertext into the known text with probability 2^-8n, which with dozens
// of candidates and 1-byte texts happened (a false "exposure"). Below this
// length only the exact test counts.
constexpr size_t kMinEvidenceText = 12;

// Is message `e` protected: does any candidate authenticate or decrypt it?
// An AES candidate counts when it is the message's key: its MAC key
// (SHA-1 of it, spec "Data Exchange") authenticates the message, or it
// decrypts the message to a known text long enough to be evidence.
bool Exposed(const crypto::Backend& backend, const Candidates& c, const Sent& e) {
  const v3::DataMessage& m = *e.data();
  for (const Bytes& k : c.mac) {
    if (tools::Authenticates(backend, k, m)) return true;
  }
  for (const Bytes& k : c.aes) {
    const crypto::SecretBytes key(k);
    if (tools::Authenticates(backend, tools::MacKeyFromAesKey(backend, key).view(), m)) {
      return true;
    }
    if (e.known_text && e.known_text->size() >= kMinEvidenceText) {
      auto p = tools::DecryptPayload(backend, key, m);
      if (p.ok() && *p == Bytes(e.known_text->begin(), e.known_text->end())) return true;
    }
  }
  return false;
}

std::vector<Bytes> Held() {
  std::vector<Bytes> out;
  crypto::ForEachLiveSecret([&](ByteView b) { out.emplace_back(b.begin(), b.end()); });
  return out;
}

// Has `who` forgotten its D-H secret with this keyid (in the session `ssid`)?
bool Forgot(Driver& driver, int who, const std::array<uint8_t, 8>& ssid, uint32_t keyid) {
  const v3::Conversation& c = driver.conversation(who);
  if (c.keys() == nullptr || c.ssid() != ssid) return true;
  return keyid + 1 < c.keys()->our_keyid();
}

TEST_P(ForwardSecrecyTest, NothingHeldOpensRotatedOutOrEndedMessages) {
  const crypto::Backend& backend = this->backend();
  const int version = this->version();
  size_t rotated_checked = 0, ended_checked = 0;
  const bool ok = CheckProperty(Name("forward secrecy"), 10, [&] {
    const Scenario scenario = *GenScenario(version);
    Driver driver(backend, scenario, DriverOptions{.snapshots = false, .after_step = {}});
    RC_ASSERT(driver.Run().ok());
    driver.PingPong(2);
    const std::vector<Sent>& t = driver.transcript();
    {
      // After rotation: messages whose sender and receiver have both
      // forgotten their D-H secret.
      const Candidates c = Derive(backend, Held(), PublicDhValues(backend, t));
      // The oracle can see: the last ping-pong message's keys are still
      // held by both, so the same derivation must expose it.
      RC_ASSERT(t.back().data() != nullptr);
      RC_ASSERT(Exposed(backend, c, t.back()));
      for (const Sent& e : t) {
        const v3::DataMessage* m = e.data();
        if (m == nullptr) continue;
        if (!Forgot(driver, e.from, e.sender_ssid, m->sender_keyid) ||
            !Forgot(driver, 1 - e.from, e.sender_ssid, m->recipient_keyid)) {
          continue;
        }
        RC_ASSERT(!Exposed(backend, c, e));
        ++rotated_checked;
      }
    }
    driver.EndBoth();
    {
      const Candidates c = Derive(backend, Held(), PublicDhValues(backend, t));
      for (const Sent& e : t) {
        if (e.data() == nullptr) continue;
        RC_ASSERT(!Exposed(backend, c, e));
        ++ended_checked;
      }
    }
  });
  EXPECT_TRUE(ok);
  std::fprintf(stderr, "forward secrecy: %zu rotated-out and %zu ended messages checked\n",
               rotated_checked, ended_checked);
  EXPECT_GT(rotated_checked, 0u);
  EXPECT_GT(ended_checked, 0u);
}

OTR_INSTANTIATE_PROPERTY(ForwardSecrecyTest);

}  // namespace
}  // namespace otr::properties
