// A stateful fuzzer of the prekey server core (protocol/prekey/server,
// otr-v4-prekey-server.md "State Machine"): a Server over a MemoryStorage is
// fed arbitrary text, arbitrary binary messages and the real client's
// messages (a publication, a storage query, a retrieval), delivered in any
// order, altered, fragmented, late.
//
// Input: records of op (1 byte), length (1 byte), payload:
//   op 0: the payload as text from a client (identity by the first byte)
//   op 1: the payload base64-armoured as a prekey-server message
//   op 2: the client starts a publication / storage query / retrieval
//   op 3: deliver the next message in flight (client <-> server)
//   op 4: deliver the next message in flight with one byte changed
//   op 5: time passes (payload seconds, up to 65535 * 60)
//   op 6: deliver the next message in flight cut into fragments
// Invariants: the server's half-done DAKEs stay within their bound; no
// prekey message is handed out twice; every ensemble handed out is valid
// ("Validating Prekey Ensembles") and is alice's (nobody else can publish
// under her key); nothing is stored for an identity but what its owner's
// key signed.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/client/client.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_ensemble.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/wire/base64.h"

namespace {

using namespace otr;
using namespace otr::prekey;

constexpr int64_t kStart = 1'700'000'000;
constexpr wire::InstanceTag kAliceTag = 0x1111;

struct Fixed {
  const crypto::Backend& backend = crypto::DefaultBackend();
  std::unique_ptr<v4::Ed448KeyPair> server_key;
  ClientKeys alice;
};

const Fixed& Setup() {
  static Fixed* fixed = [] {
    auto* f = new Fixed;
    crypto::testing::DeterministicRandom random(uint64_t{0xf0221});
    auto s = v4::GenerateLongTermKeyPair(f->backend, random);
    auto h = v4::GenerateLongTermKeyPair(f->backend, random);
    auto forging = v4::GenerateForgingPoint(f->backend, random);
    auto d = v4::GenerateSharedPrekeyPair(f->backend, random);
    if (!s.ok() || !h.ok() || !forging.ok() || !d.ok()) __builtin_trap();
    f->server_key = std::make_unique<v4::Ed448KeyPair>(std::move(*s));
    f->alice.long_term = std::move(*h);
    v4::profile::ClientProfileParams cp;
    cp.owner_instance_tag = kAliceTag;
    cp.forging_key = *forging;
    cp.expiration = kStart + 7 * 86400;
    auto client_profile =
        v4::profile::CreateClientProfile(f->backend, f->alice.long_term.sym_key, cp, random);
    auto prekey_profile = v4::profile::CreatePrekeyProfile(f->backend, f->alice.long_term.sym_key,
                                                           {kAliceTag, kStart + 7 * 86400, d->pub});
    if (!client_profile.ok() || !prekey_profile.ok()) __builtin_trap();
    f->alice.client_profile = std::move(*client_profile);
    f->alice.prekey_profile = std::move(*prekey_profile);
    f->alice.shared_prekey_secret = d->secret;
    return f;
  }();
  return *fixed;
}

struct InFlight {
  std::string text;
  bool to_server;
};

struct World {
  explicit World(const Fixed& f)
      : fixed(f),
        random(uint64_t{0x5eed}),
        server(f.backend, random, storage, *f.server_key, Config()) {
    ClientConfig cc;
    cc.identity = "alice@localhost";
    cc.server_identity = "prekey.localhost";
    cc.instance_tag = kAliceTag;
    ClientKeys keys;
    keys.long_term = f.alice.long_term;
    keys.client_profile = f.alice.client_profile;
    keys.prekey_profile = f.alice.prekey_profile;
    keys.shared_prekey_secret = f.alice.shared_prekey_secret;
    client = std::make_unique<PrekeyClient>(f.backend, random, cc, std::move(keys));
  }
  static ServerConfig Config() {
    ServerConfig c;
    c.identity = "prekey.localhost";
    c.max_pending_dakes = 4;
    c.max_pending_dakes_per_identity = 2;
    c.max_stored_prekey_messages = 16;
    c.per_requester = {4, 60};
    c.per_target = {4, 60};
    c.max_reassemblers = 4;
    return c;
  }

  void ToServer(std::string_view identity, std::string_view text) {
    ServerOutput out = server.Receive(identity, identity, text, now);
    for (auto& r : out.replies) {
      CheckReply(r);
      in_flight.push_back({std::move(r), false});
    }
    if (server.pending_dakes() > 4) __builtin_trap();
  }
  void ToClient(const std::string& text) {
    ClientOutput out = client->Receive(text, now);
    for (auto& t : out.to_server) in_flight.push_back({std::move(t), true});
  }
  void Deliver(InFlight f) {
    if (f.to_server) {
      ToServer("alice@localhost", f.text);
    } else {
      ToClient(f.text);
    }
  }

  // Every Prekey Ensemble Retrieval the server sends: ensembles valid,
  // alice's, each prekey message once.
  void CheckReply(const std::string& text) {
    if (IsFragment(text)) return;  // checked whole by the client side
    auto m = DecodeFromTransport(text);
    if (!m.ok()) __builtin_trap();  // the server writes only valid messages
    auto* r = std::get_if<PrekeyEnsembleRetrieval>(&*m);
    if (r == nullptr) return;
    for (const auto& e : r->ensembles) {
      if (e.client_profile.public_key != fixed.alice.client_profile.public_key) __builtin_trap();
      if (!v4::profile::ValidatePrekeyEnsemble(fixed.backend, e.client_profile, e.prekey_profile,
                                               e.prekey_message, now)
               .ok()) {
        __builtin_trap();
      }
      const Bytes y(e.prekey_message.y.begin(), e.prekey_message.y.end());
      if (!handed_out.insert(y).second) __builtin_trap();
    }
  }

  const Fixed& fixed;
  crypto::testing::DeterministicRandom random;
  MemoryStorage storage;
  Server server;
  std::unique_ptr<PrekeyClient> client;
  std::deque<InFlight> in_flight;
  std::set<Bytes> handed_out;
  int64_t now = kStart;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixed& fixed = Setup();
  World w(fixed);
  size_t pos = 0;
  int records = 0;
  while (pos + 2 <= size && records++ < 64) {
    const uint8_t op = data[pos] % 7;
    const size_t len = std::min<size_t>(data[pos + 1], size - pos - 2);
    const uint8_t* payload = data + pos + 2;
    pos += 2 + len;
    const std::string_view text(reinterpret_cast<const char*>(payload), len);
    switch (op) {
      case 0: {
        const std::string_view who =
            len > 0 && (payload[0] & 1) ? "mallory@localhost" : "alice@localhost";
        w.ToServer(who, text);
        break;
      }
      case 1: {
        std::string armoured = wire::EncodeBase64(ByteView(payload, len));
        armoured.push_back('.');
        w.ToServer(len > 0 && (payload[0] & 1) ? "mallory@localhost" : "alice@localhost", armoured);
        break;
      }
      case 2: {
        const uint8_t which = len > 0 ? payload[0] % 3 : 0;
        if (which == 0) {
          PublicationRequest what{len > 1 && (payload[1] & 1), len > 1 && (payload[1] & 2),
                                  len > 2 ? payload[2] % 8u : 2u};
          if (what.empty()) what.prekey_messages = 1;
          auto started = w.client->Publish(what, w.now);
          if (started.ok()) {
            for (auto& t : started->output.to_server) w.in_flight.push_back({t, true});
          }
        } else if (which == 1) {
          auto started = w.client->QueryStorage(w.now);
          if (started.ok()) {
            for (auto& t : started->to_server) w.in_flight.push_back({t, true});
          }
        } else {
          auto started = w.client->RetrieveEnsembles("alice@localhost", w.now);
          if (started.ok()) {
            for (auto& t : started->to_server) w.in_flight.push_back({t, true});
          }
        }
        break;
      }
      case 3:
      case 4:
      case 6: {
        if (w.in_flight.empty()) break;
        InFlight f = std::move(w.in_flight.front());
        w.in_flight.pop_front();
        if (op == 4 && !f.text.empty() && len >= 2) {
          f.text[((size_t{payload[0]} << 8) | payload[1]) % f.text.size()] ^=
              static_cast<char>(len > 2 ? payload[2] | 1 : 1);
        }
        if (op == 6) {
          const size_t max = 40 + (len > 0 ? payload[0] * 4u : 100u);
          auto pieces = Fragment(f.text, max, 0x1234, f.to_server ? kAliceTag : 0,
                                 f.to_server ? 0 : kAliceTag);
          if (pieces.ok()) {
            for (auto& p : *pieces) w.Deliver({p, f.to_server});
            break;
          }
        }
        w.Deliver(std::move(f));
        break;
      }
      case 5: {
        const int64_t seconds = len >= 2 ? ((int64_t{payload[0]} << 8) | payload[1]) : 61;
        w.now += seconds * (len > 2 && payload[2] & 1 ? 60 : 1);
        w.server.Expire(w.now);
        for (auto& t : w.client->Expire(w.now).to_server) w.in_flight.push_back({t, true});
        break;
      }
    }
    // Nothing but alice's own publications is stored, and for mallory
    // (who has no valid key of alice) nothing at all.
    auto mallory = w.storage.CountPrekeyMessages("mallory@localhost", w.now);
    if (!mallory.ok() || *mallory != 0) __builtin_trap();
    auto alice = w.storage.CountPrekeyMessages("alice@localhost", w.now);
    if (!alice.ok() || *alice > 16) __builtin_trap();
  }
  return 0;
}
