// A stateful fuzzer of the prekey server core (protocol/prekey/server,
// otr-v4-prekey-server.md "State Machine"): a Server over a MemoryStorage is
// fed arbitrary text, arbitrary binary messages and the real client's
// messages (a publication, a storage query, a retrieval), delivered in any
// order, altered, fragmented, late.
//
// Input: records of op (1 byte), length (1 byte), payload:
//   op 0: the payload as text from a client (identity by the first byte)
//   op 1: the payload base64-armoured as a prekey-server message
//   op 2: the client starts a publication / storage query / retrieval, or
//         (payload[0] % 4 == 3) a Session's PrekeyRetrieval asks for
//         alice's ensembles (its answers reach it as they reach the client)
//   op 3: deliver the next message in flight (client <-> server)
//   op 4: deliver the next message in flight with one byte changed
//   op 5: time passes (payload seconds, up to 65535 * 60)
//   op 6: deliver the next message in flight cut into fragments
//   op 7: deliver the next message in flight decoded, with one field
//         changed (choices read from the payload) and re-encoded; what the
//         receiver checks first is made right again where the harness can:
//         a changed Client or Prekey Profile is re-signed with alice's key,
//         an attached Prekey Publication or Storage Information Request and
//         the server's answers are re-MACed with the DAKE's prekey_mac_k,
//         and a changed list of Prekey Messages gets new proofs. The harness
//         knows prekey_mac_k because it finds the server's ephemeral secret
//         s among the server's random draws (the server's Random is a
//         recording wrapper) and computes SK = KDF(ECDH(s, I)) itself.
// LLVMFuzzerCustomMutator (structure-aware mutation, issue 21) works on the
// record list: it inserts op-7 records with fresh choices, drops, repeats,
// swaps and retypes records, redraws one record's choices, and decodes the
// payload of an op-1 record as a prekey-server message, changes one field
// the same way and re-encodes it; a third of the time it leaves the input
// to libFuzzer's own mutations.
// Invariants: the server's half-done DAKEs stay within their bound; no
// prekey message is handed out twice; every ensemble handed out is valid
// ("Validating Prekey Ensembles") and is alice's (nobody else can publish
// under her key); nothing is stored for an identity but what its owner's
// key signed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "crypto/testing/deterministic_random.h"
#include "fuzz/support/fuzz_backend.h"
#include "fuzz/support/mutator.h"
#include "protocol/prekey/client/client.h"
#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/prekey/server/memory_storage.h"
#include "protocol/prekey/server/server.h"
#include "protocol/session/prekey_retrieval.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/prekey_ensemble.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/wire/base64.h"

namespace {

using namespace otr;
using namespace otr::prekey;

constexpr int64_t kStart = 1'700'000'000;
constexpr uint8_t kOpCount = 8;
constexpr wire::InstanceTag kAliceTag = 0x1111;

// Every key is made, and every check done, with FuzzBackend(): in a fuzzing
// build the stand-in of decision 0027 (a Ed448 or ring signature costs
// microseconds), else, and in prekey_server_fuzzer_realcrypto, openssl.
struct Fixed {
  const crypto::Backend& backend = fuzzing::FuzzBackend();
  std::unique_ptr<v4::Ed448KeyPair> server_key;
  ClientKeys alice;
};

const Fixed& Setup() {
  static Fixed* fixed = [] {
    auto* f = new Fixed;
    crypto::testing::DeterministicRandom random(uint64_t{0xf0221});
    auto s = v4::GenerateLongTermKeyPair(f->backend, random);
    auto h = v4::GenerateLongTermKeyPair(f->backend, random);
    // The stand-in's points have an 8-byte value and 49 zero bytes: random
    // bytes (GenerateForgingPoint) never decode, so there the forging point
    // is a key pair's public half (as in fuzz/support/v4_harness.cc).
    Result<crypto::Ed448Point> forging = MakeError(ErrorCode::kBackendFailure, "no forging point");
    if (fuzzing::UsesStandInCrypto()) {
      auto pair = v4::GenerateForgingKeyPair(f->backend, random);
      if (pair.ok()) forging = pair->pub;
    } else {
      forging = v4::GenerateForgingPoint(f->backend, random);
    }
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

// The server's randomness, with its last draws of an ECDH secret's size
// kept: the harness finds the s behind a DAKE-2's S among them.
class RecordingRandom final : public crypto::Random {
 public:
  explicit RecordingRandom(crypto::Random& inner) : inner_(inner) {}
  void Fill(MutableByteView out) override {
    inner_.Fill(out);
    if (out.size() != v4::kEcdhRandomSize) return;
    draws_.emplace_back(out.begin(), out.end());
    if (draws_.size() > 16) draws_.pop_front();
  }
  const std::deque<Bytes>& draws() const { return draws_; }

 private:
  crypto::Random& inner_;
  std::deque<Bytes> draws_;
};

// Choices read from an op-7 payload (zeros after its end).
class PayloadChoices final : public fuzzing::Choices {
 public:
  explicit PayloadChoices(ByteView bytes) : bytes_(bytes) {}
  uint32_t Next() override {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v = v << 8 | (pos_ < bytes_.size() ? bytes_[pos_] : 0);
      ++pos_;
    }
    return v;
  }

 private:
  ByteView bytes_;
  size_t pos_ = 0;
};

template <size_t N>
void ChangeArray(std::array<uint8_t, N>& a, fuzzing::Choices& c) {
  switch (c.Below(4)) {
    case 0:
      a.fill(0);
      break;
    case 1:
      a.fill(0xff);
      break;
    default:
      fuzzing::FlipBit(a, c);
      break;
  }
}

wire::InstanceTag ChangeTag(wire::InstanceTag tag, fuzzing::Choices& c) {
  static constexpr wire::InstanceTag kEdges[] = {0, 1, 0xff, 0x100, 0xffffffff, kAliceTag + 1};
  const uint32_t pick = c.Below(std::size(kEdges) + 2);
  if (pick < std::size(kEdges)) return kEdges[pick];
  return pick == std::size(kEdges) ? tag + 1 : c.Next();
}

int64_t ChangeTime(int64_t now, fuzzing::Choices& c) {
  static constexpr int64_t kOffsets[] = {-1, 0, 1, 86400, -86400, 10 * 365 * 86400};
  const uint32_t pick = c.Below(std::size(kOffsets) + 2);
  if (pick < std::size(kOffsets)) return now + kOffsets[pick];
  return pick == std::size(kOffsets) ? 0 : static_cast<int64_t>(c.Next()) << 16;
}

void ChangeBytes(Bytes& b, fuzzing::Choices& c) {
  switch (c.Below(4)) {
    case 0:
      b.clear();
      break;
    case 1:
      b.assign(c.Below(3) == 0 ? 385 : 1 + c.Below(4), static_cast<uint8_t>(c.Below(3)));
      break;
    default:
      fuzzing::MutateBytes(b, c);
      break;
  }
}

// A Prekey Message's B as ChangeBytes changes it, cut to the 384 bytes an
// MPI holds (v4::Mpi, decision 0055); a longer one is the raw ops' part.
void ChangeMpi(v4::Mpi& mpi, fuzzing::Choices& c) {
  Bytes b = mpi.ToBytes();
  ChangeBytes(b, c);
  if (b.size() > v4::Mpi::kCapacity) b.resize(v4::Mpi::kCapacity);
  mpi = v4::Mpi(b);
}

void ChangeRingSig(v4::RingSig& sigma, fuzzing::Choices& c) {
  v4::Scalar* fields[] = {&sigma.c1, &sigma.r1, &sigma.c2, &sigma.r2, &sigma.c3, &sigma.r3};
  ChangeArray(*fields[c.Below(6)], c);
}

void ChangeIdentity(Bytes& identity, fuzzing::Choices& c) {
  static constexpr std::string_view kNames[] = {"alice@localhost", "mallory@localhost", "",
                                                "prekey.localhost", "alice@localhost/x"};
  const uint32_t pick = c.Below(std::size(kNames) + 1);
  if (pick < std::size(kNames)) {
    identity.assign(kNames[pick].begin(), kNames[pick].end());
  } else {
    ChangeBytes(identity, c);
  }
}

struct InFlight {
  std::string text;
  bool to_server;
};

struct World {
  explicit World(const Fixed& f)
      : fixed(f),
        random(uint64_t{0x5eed}),
        server_random(random),
        server(f.backend, server_random, storage, *f.server_key, Config()) {
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
  static PrekeyServerConfig RetrievalConfig() {
    PrekeyServerConfig c;
    c.server = "prekey.localhost";
    c.peer_identity = "alice@localhost";
    return c;
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
    if (identity == "alice@localhost" && !IsFragment(text)) NoteDake1(text);
    ServerOutput out = server.Receive(identity, identity, text, now);
    // Every event has a name for the server's log.
    for (const ServerEvent& e : out.events) {
      if (ServerEventName(e.kind) == "unknown") __builtin_trap();
    }
    for (auto& r : out.replies) {
      CheckReply(r);
      NoteDake2(r);
      in_flight.push_back({std::move(r), false});
    }
    if (server.pending_dakes() > 4) __builtin_trap();
  }
  void ToClient(const std::string& text) {
    ClientOutput out = client->Receive(text, now);
    for (auto& t : out.to_server) in_flight.push_back({std::move(t), true});
    // A Session's retrieval (what Session::ReceiveFromPrekeyServer runs)
    // sees every answer too; it ignores what is not for its query.
    Output retrieved;
    auto ensembles = retrieval.Receive(now, text, retrieved);
    if (ensembles) {
      for (const auto& e : *ensembles) {
        if (e.client_profile.public_key != fixed.alice.client_profile.public_key) __builtin_trap();
      }
    }
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

  // The I of the last DAKE-1 alice's address sent whole.
  void NoteDake1(std::string_view text) {
    auto m = DecodeFromTransport(text);
    if (m.ok() && std::holds_alternative<Dake1>(*m)) last_i = std::get<Dake1>(*m).i;
  }
  // A DAKE-2 to alice: s from the server's draws, then SK, prekey_mac_k and
  // the proof context as the server has them ("Shared Secrets").
  void NoteDake2(std::string_view text) {
    if (!last_i || IsFragment(text)) return;
    auto m = DecodeFromTransport(text);
    if (!m.ok() || !std::holds_alternative<Dake2>(*m)) return;
    const v4::Point& s_encoded = std::get<Dake2>(*m).s;
    auto i = fixed.backend.Ed448Decode(*last_i);
    if (!i.ok()) return;
    for (const Bytes& draw : server_random.draws()) {
      auto s = v4::GenerateEcdhFromRandom(fixed.backend, crypto::SecretBytes(draw));
      if (!s.ok() || fixed.backend.Ed448Encode(s->pub()) != s_encoded) continue;
      auto sk = ServerDakeSharedSecret(fixed.backend, s->secret(), *i);
      if (!sk.ok()) return;
      mac_key = PrekeyMacKey(fixed.backend, *sk);
      proof_context = ProofContext(fixed.backend, *sk);
      ++keys_found;
      return;
    }
  }

  // Op 7: one field of a decoded message changed, then re-signed, re-MACed
  // or re-proved where the harness can (choices decide, so the unrepaired
  // forms are reached too).
  std::string Mutate(const std::string& text, fuzzing::Choices& c) {
    if (IsFragment(text)) return text;
    auto decoded = DecodeFromTransport(text);
    if (!decoded.ok()) return text;
    Message m = std::move(*decoded);
    const bool repair = c.Below(4) != 0;
    std::visit([&](auto& v) { MutateMessage(v, c, repair); }, m);
    return EncodeForTransport(m);
  }

  void ResignClientProfile(v4::ClientProfile& p, fuzzing::Choices& c) {
    switch (c.Below(5)) {
      case 0:
        p.expiration = ChangeTime(now, c);
        break;
      case 1: {
        static constexpr std::string_view kVersions[] = {"3", "43", "", "45", "4", "2"};
        p.versions = std::string(kVersions[c.Below(std::size(kVersions))]);
        break;
      }
      case 2:
        p.owner_instance_tag = ChangeTag(p.owner_instance_tag, c);
        break;
      case 3:
        ChangeArray(p.forging_key, c);
        break;
      default:
        ChangeArray(p.signature, c);
        return;  // left unsigned
    }
    if (c.Below(4) != 0) {
      (void)v4::profile::SignClientProfile(fixed.backend, fixed.alice.long_term.sym_key, p);
    }
  }

  void ResignPrekeyProfile(v4::PrekeyProfile& p, fuzzing::Choices& c) {
    switch (c.Below(4)) {
      case 0:
        p.expiration = ChangeTime(now, c);
        break;
      case 1:
        p.owner_instance_tag = ChangeTag(p.owner_instance_tag, c);
        break;
      case 2:
        ChangeArray(p.shared_prekey, c);
        break;
      default:
        ChangeArray(p.signature, c);
        return;
    }
    if (c.Below(4) != 0) {
      (void)v4::profile::SignPrekeyProfile(fixed.backend, fixed.alice.long_term.sym_key, p);
    }
  }

  void MutateMessage(Dake1& m, fuzzing::Choices& c, bool) {
    switch (c.Below(3)) {
      case 0:
        m.sender_instance_tag = ChangeTag(m.sender_instance_tag, c);
        break;
      case 1:
        ChangeArray(m.i, c);
        break;
      default:
        ResignClientProfile(m.client_profile, c);
        break;
    }
  }
  void MutateMessage(Dake2& m, fuzzing::Choices& c, bool) {
    switch (c.Below(4)) {
      case 0:
        m.receiver_instance_tag = ChangeTag(m.receiver_instance_tag, c);
        break;
      case 1:
        ChangeArray(m.s, c);
        break;
      case 2:
        if (c.Below(2) == 0) {
          ChangeIdentity(m.server_identity.identity, c);
        } else {
          ChangeArray(m.server_identity.public_key, c);
        }
        break;
      default:
        ChangeRingSig(m.sigma, c);
        break;
    }
  }
  void MutateMessage(Dake3& m, fuzzing::Choices& c, bool repair) {
    switch (c.Below(4)) {
      case 0:
        m.sender_instance_tag = ChangeTag(m.sender_instance_tag, c);
        return;
      case 1:
        ChangeRingSig(m.sigma, c);
        return;
      default:
        break;
    }
    // The attached message: decoded, changed, re-MACed.
    auto attached = DecodeAttachedMessage(m.message);
    if (!attached.ok()) {
      ChangeBytes(m.message, c);
      return;
    }
    if (auto* pub = std::get_if<PrekeyPublication>(&*attached)) {
      MutatePublication(*pub, c, repair);
    } else {
      auto& request = std::get<StorageInformationRequest>(*attached);
      if (repair && mac_key) {
        request.storage_information_mac = StorageInformationMac(fixed.backend, *mac_key);
      } else {
        ChangeArray(request.storage_information_mac, c);
      }
    }
    m.message = EncodeAttachedMessage(*attached);
  }
  void MutatePublication(PrekeyPublication& pub, fuzzing::Choices& c, bool repair) {
    auto& messages = pub.prekey_messages;
    bool reprove = false;
    switch (c.Below(9)) {
      case 0:  // drop a Prekey Message
        if (!messages.empty()) messages.erase(messages.begin() + c.Below(messages.size()));
        reprove = true;
        break;
      case 1:  // repeat one
        if (!messages.empty()) messages.push_back(messages[c.Below(messages.size())]);
        reprove = true;
        break;
      case 2:
        if (!messages.empty()) {
          v4::PrekeyMessage& one = messages[c.Below(messages.size())];
          switch (c.Below(4)) {
            case 0:
              one.identifier = c.Below(2) == 0 ? messages.front().identifier : c.Next();
              break;
            case 1:
              one.owner_instance_tag = ChangeTag(one.owner_instance_tag, c);
              break;
            case 2:
              ChangeArray(one.y, c);
              break;
            default:
              ChangeMpi(one.b, c);
              break;
          }
        }
        break;
      case 3:
        if (pub.client_profile && c.Below(2) == 0) {
          ResignClientProfile(*pub.client_profile, c);
        } else {
          pub.client_profile.reset();
        }
        break;
      case 4:
        if (pub.prekey_profile && c.Below(2) == 0) {
          ResignPrekeyProfile(*pub.prekey_profile, c);
        } else {
          pub.prekey_profile.reset();
        }
        break;
      case 5:
        if (c.Below(2) == 0) {
          pub.prekey_message_proofs.reset();
        } else {
          pub.prekey_profile_proof.reset();
        }
        break;
      case 6:
        if (pub.prekey_message_proofs) {
          if (c.Below(2) == 0) {
            ChangeArray(pub.prekey_message_proofs->ecdh.v, c);
          } else {
            ChangeBytes(pub.prekey_message_proofs->dh.v, c);
          }
        }
        break;
      case 7:
        if (pub.prekey_profile_proof) ChangeArray(pub.prekey_profile_proof->c, c);
        break;
      default:
        ChangeArray(pub.prekey_mac, c);
        return;  // left as changed
    }
    if (reprove && repair) Reprove(pub);
    if (repair && mac_key) {
      pub.prekey_mac = PrekeyPublicationMac(fixed.backend, *mac_key, PublicationMacParts(pub));
    }
  }
  // New Prekey Messages proofs for the list as it is now, from the secrets
  // the client returned when it started its publications.
  void Reprove(PrekeyPublication& pub) {
    if (!proof_context) return;
    if (pub.prekey_messages.empty()) {
      pub.prekey_message_proofs.reset();
      return;
    }
    std::vector<crypto::SecretBytes> ys, bs;
    std::vector<crypto::Ed448Point> y_pubs;
    std::vector<Bytes> b_pubs;
    for (const auto& message : pub.prekey_messages) {
      const auto it = secrets.find(Bytes(message.y.begin(), message.y.end()));
      if (it == secrets.end()) return;
      auto y = fixed.backend.Ed448Decode(message.y);
      if (!y.ok()) return;
      ys.push_back(it->second.y);
      bs.push_back(it->second.b);
      y_pubs.push_back(*y);
      b_pubs.push_back(message.b.ToBytes());
    }
    PrekeyMessageProofs proofs;
    auto ecdh = GenerateEcdhProof(fixed.backend, random, ys, y_pubs, proof_context->view(),
                                  v4::PrekeyUsage::kProofMessageEcdh);
    auto dh = GenerateDhProof(fixed.backend, random, bs, b_pubs, proof_context->view());
    if (!ecdh.ok() || !dh.ok()) return;
    proofs.ecdh = *ecdh;
    proofs.dh = *dh;
    pub.prekey_message_proofs = std::move(proofs);
  }
  void MutateMessage(PrekeyPublication& m, fuzzing::Choices& c, bool repair) {
    MutatePublication(m, c, repair);
  }
  void MutateMessage(StorageInformationRequest& m, fuzzing::Choices& c, bool) {
    ChangeArray(m.storage_information_mac, c);
  }
  // The server's answers: a field changed, then (mostly) re-MACed, so the
  // client's handling past its MAC check is reached.
  void MutateMessage(StorageStatus& m, fuzzing::Choices& c, bool repair) {
    if (c.Below(2) == 0) {
      m.receiver_instance_tag = ChangeTag(m.receiver_instance_tag, c);
    } else {
      m.stored_prekey_messages = c.Below(2) == 0 ? 0xffffffff : c.Next();
    }
    if (repair && mac_key) m.status_mac = StorageStatusMac(fixed.backend, *mac_key, m);
  }
  void MutateMessage(Success& m, fuzzing::Choices& c, bool repair) {
    m.receiver_instance_tag = ChangeTag(m.receiver_instance_tag, c);
    if (repair && mac_key) m.success_mac = SuccessMac(fixed.backend, *mac_key, m);
  }
  void MutateMessage(Failure& m, fuzzing::Choices& c, bool repair) {
    m.receiver_instance_tag = ChangeTag(m.receiver_instance_tag, c);
    if (repair && mac_key) m.failure_mac = FailureMac(fixed.backend, *mac_key, m);
  }
  void MutateMessage(PrekeyEnsembleQueryRetrieval& m, fuzzing::Choices& c, bool) {
    switch (c.Below(3)) {
      case 0:
        m.sender_instance_tag = ChangeTag(m.sender_instance_tag, c);
        break;
      case 1:
        ChangeIdentity(m.participant_identity, c);
        break;
      default: {
        static constexpr std::string_view kVersions[] = {"3", "", "45", "44444", "5"};
        const std::string_view v = kVersions[c.Below(std::size(kVersions))];
        m.versions.assign(v.begin(), v.end());
        break;
      }
    }
  }
  void MutateMessage(PrekeyEnsembleRetrieval& m, fuzzing::Choices& c, bool) {
    auto& list = m.ensembles;
    switch (c.Below(4)) {
      case 0:
        if (list.size() > 1) list.erase(list.begin() + c.Below(list.size()));
        break;
      case 1:
        if (!list.empty()) list.push_back(list[c.Below(list.size())]);
        break;
      case 2:
        ChangeIdentity(m.participant_identity, c);
        break;
      default:
        if (!list.empty()) {
          PrekeyEnsemble& e = list[c.Below(list.size())];
          e.prekey_message.owner_instance_tag = ChangeTag(e.prekey_message.owner_instance_tag, c);
        }
        break;
    }
  }
  void MutateMessage(NoPrekeyEnsemblesInStorage& m, fuzzing::Choices& c, bool) {
    if (c.Below(2) == 0) {
      ChangeIdentity(m.participant_identity, c);
    } else {
      ChangeBytes(m.text, c);
    }
  }

  const Fixed& fixed;
  crypto::testing::DeterministicRandom random;
  RecordingRandom server_random;
  PrekeyRetrieval retrieval{fixed.backend, random, 0x2222, RetrievalConfig()};
  MemoryStorage storage;
  Server server;
  std::unique_ptr<PrekeyClient> client;
  std::deque<InFlight> in_flight;
  std::set<Bytes> handed_out;
  int64_t now = kStart;
  // For op 7: I of the last DAKE-1, the DAKE's keys as the server derived
  // them, the secrets of alice's prekey messages (by Y).
  std::optional<v4::Point> last_i;
  std::optional<crypto::SecretBytes> mac_key;
  std::optional<crypto::SecretBytes> proof_context;
  std::map<Bytes, PrekeySecrets> secrets;
  int keys_found = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixed& fixed = Setup();
  World w(fixed);
  size_t pos = 0;
  int records = 0;
  while (pos + 2 <= size && records++ < 64) {
    const uint8_t op = data[pos] % kOpCount;
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
        const uint8_t which = len > 0 ? payload[0] % 4 : 0;
        if (which == 0) {
          PublicationRequest what{len > 1 && (payload[1] & 1), len > 1 && (payload[1] & 2),
                                  len > 2 ? payload[2] % 8u : 2u};
          if (what.empty()) what.prekey_messages = 1;
          auto started = w.client->Publish(what, w.now);
          if (started.ok()) {
            for (auto& t : started->output.to_server) w.in_flight.push_back({t, true});
            for (auto& p : started->secrets) {
              Bytes y(p.message.y.begin(), p.message.y.end());
              w.secrets.insert_or_assign(std::move(y), std::move(p));
            }
          }
        } else if (which == 1) {
          auto started = w.client->QueryStorage(w.now);
          if (started.ok()) {
            for (auto& t : started->to_server) w.in_flight.push_back({t, true});
          }
        } else if (which == 2) {
          auto started = w.client->RetrieveEnsembles("alice@localhost", w.now);
          if (started.ok()) {
            for (auto& t : started->to_server) w.in_flight.push_back({t, true});
          }
        } else {
          // A Session's retrieval (Session::RequestPrekeyEnsembles).
          Output out;
          w.retrieval.Request(w.now, out);
          for (auto& t : out.to_prekey_server) w.in_flight.push_back({t.text, true});
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
      case 7: {
        if (w.in_flight.empty()) break;
        InFlight f = std::move(w.in_flight.front());
        w.in_flight.pop_front();
        PayloadChoices choices(ByteView(payload, len));
        f.text = w.Mutate(f.text, choices);
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
  // OTR_PREKEY_FUZZ_STATS=1: how often op 7 knew the DAKE's keys, and what
  // is stored at the end (to check that a seed reaches what it means to).
  static const bool stats = std::getenv("OTR_PREKEY_FUZZ_STATS") != nullptr;
  if (stats) {
    auto alice = w.storage.CountPrekeyMessages("alice@localhost", w.now);
    std::fprintf(stderr, "prekey_server_fuzzer: keys found %d, alice stores %u\n", w.keys_found,
                 alice.ok() ? *alice : 0u);
  }
  return 0;
}

// libFuzzer's own mutation (absent outside libFuzzer: the corpus test).
extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size,
                                                         size_t max_size);

namespace {

struct Record {
  uint8_t op = 0;
  Bytes payload;  // at most 255 bytes (the length is one byte)
};

size_t OwnMutate(uint8_t* data, size_t size, size_t max_size, fuzzing::Choices& c) {
  if (LLVMFuzzerMutate != nullptr) return LLVMFuzzerMutate(data, size, max_size);
  Bytes bytes(data, data + size);
  fuzzing::MutateBytes(bytes, c);
  if (bytes.size() > max_size) bytes.resize(max_size);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

Bytes FreshChoices(fuzzing::Choices& c) {
  Bytes b(8 + c.Below(16));
  for (auto& x : b) x = c.Byte();
  return b;
}

}  // namespace

// Structure-aware mutation of the record list (see the header comment).
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  fuzzing::RandomChoices c(seed);
  if (size < 2 || c.Below(3) == 0) return OwnMutate(data, size, max_size, c);
  std::vector<Record> records;
  for (size_t pos = 0; pos + 2 <= size;) {
    const size_t len = std::min<size_t>(data[pos + 1], size - pos - 2);
    records.push_back({data[pos], Bytes(data + pos + 2, data + pos + 2 + len)});
    pos += 2 + len;
  }
  const size_t i = c.Below(records.size());
  switch (c.Below(7)) {
    case 0:  // a structured delivery, with fresh choices
    case 1:
      records.insert(records.begin() + c.Below(records.size() + 1), {7, FreshChoices(c)});
      break;
    case 2:
      if (records.size() > 1) records.erase(records.begin() + i);
      break;
    case 3:
      records.insert(records.begin() + c.Below(records.size() + 1), records[i]);
      break;
    case 4:
      std::swap(records[i], records[c.Below(records.size())]);
      break;
    case 5:
      records[i].op = static_cast<uint8_t>(c.Below(kOpCount));
      break;
    default: {
      Record& r = records[i];
      if (r.op % kOpCount == 7) {
        r.payload = FreshChoices(c);
        break;
      }
      // A binary message (op 1): decoded, one field changed, re-encoded.
      auto m = DecodeMessage(r.payload);
      if (r.op % kOpCount == 1 && m.ok()) {
        static World* world = new World(Setup());
        std::visit([&](auto& v) { world->MutateMessage(v, c, false); }, *m);
        Bytes encoded = EncodeMessage(*m);
        if (encoded.size() <= 255) {
          r.payload = std::move(encoded);
          break;
        }
      }
      const size_t old_size = r.payload.size();
      r.payload.resize(255);
      r.payload.resize(OwnMutate(r.payload.data(), old_size, 255, c));
      break;
    }
  }
  Bytes out;
  for (const Record& r : records) {
    out.push_back(r.op);
    out.push_back(static_cast<uint8_t>(r.payload.size()));
    out.insert(out.end(), r.payload.begin(), r.payload.end());
  }
  if (out.size() > max_size) return OwnMutate(data, size, max_size, c);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
