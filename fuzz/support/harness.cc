#include "fuzz/support/harness.h"

#include <cstdio>
#include <utility>

#include "fuzz/support/fixed_keys.h"
#include "fuzz/support/fuzz_backend.h"
#include "protocol/v3/keys/key_state.h"
#include "protocol/wire/armor.h"

namespace otr::fuzzing {

void InvariantViolated(const char* file, int line) {
  std::fprintf(stderr, "invariant violated at %s:%d\n", file, line);
  __builtin_trap();
}

namespace {

// Reads the record at data[pos..size) into `record`; returns where the
// next one starts.
size_t ReadRecord(const uint8_t* data, size_t size, size_t pos, RecordView& record) {
  record.op = data[pos++];
  size_t length = 0;
  if (pos < size) length = data[pos++];
  if (pos < size) length |= size_t{data[pos++]} << 8;
  if (length > size - pos) length = size - pos;
  record.payload = ByteView(data + pos, length);
  return pos + length;
}

}  // namespace

InputView ViewInput(const uint8_t* data, size_t size) {
  InputView input;
  size_t pos = 0;
  for (; pos < kHeaderSize && pos < size; ++pos) input.header[pos] = data[pos];
  // Counted first: one allocation for the records, not one per doubling.
  size_t count = 0;
  RecordView record;
  for (size_t at = pos; at < size; ++count) at = ReadRecord(data, size, at, record);
  input.records.reserve(count);
  while (pos < size) {
    pos = ReadRecord(data, size, pos, record);
    input.records.push_back(record);
  }
  return input;
}

Input ParseInput(const uint8_t* data, size_t size) {
  const InputView view = ViewInput(data, size);
  Input input;
  input.header = view.header;
  input.records.reserve(view.records.size());
  for (const RecordView& r : view.records) {
    input.records.push_back(Record{r.op, Bytes(r.payload.begin(), r.payload.end())});
  }
  return input;
}

Bytes SerializeInput(const Input& input) {
  Bytes out(input.header.begin(), input.header.end());
  for (const Record& record : input.records) {
    const size_t length = std::min<size_t>(record.payload.size(), 0xffff);
    out.push_back(record.op);
    out.push_back(static_cast<uint8_t>(length));
    out.push_back(static_cast<uint8_t>(length >> 8));
    out.insert(out.end(), record.payload.begin(), record.payload.begin() + length);
  }
  return out;
}

void FuzzShake256(std::span<const ByteView> parts, MutableByteView out) {
  FuzzBackend().Shake256Of(parts, out);
}

ReseedableRandom& PartyRandom(int who) {
  static ReseedableRandom randoms[2];
  return randoms[who == 0 ? 0 : 1];
}

Party::Party(int who, Policy policy, uint64_t seed, size_t max_message_size)
    : random(PartyRandom(who)) {
  PartyRandom(who).Reseed(seed);
  SessionConfig config;
  config.backend = &FuzzBackend();
  config.identity.dsa = &FixedKey(who);
  config.policy = policy;
  // Fixed tags keep the inputs meaningful across runs (0 would draw one).
  config.our_tag = who == 0 ? 0x1000a11c : 0x10000b0b;
  config.max_message_size = max_message_size;
  auto created = Session::Create(config, random);
  if (!created.ok()) OTR_FUZZ_FAIL();
  session.emplace(std::move(created).value());
}

PairTemplate::PairTemplate(const Party& alice_, const Party& bob_)
    : alice(alice_),
      bob(bob_),
      alice_random(PartyRandom(0).state()),
      bob_random(PartyRandom(1).state()) {}

PairTemplate::Pair PairTemplate::Copy() const {
  PartyRandom(0).Restore(alice_random);
  PartyRandom(1).Restore(bob_random);
  return Pair{alice, bob};
}

uint64_t InputSeed(const uint8_t* data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 0x100000001b3;
  return hash;
}

Policy PolicyFromBits(uint8_t bits) {
  switch (bits % 4) {
    case 0:
      return Policy::Manual();
    case 1:
      return Policy{.allow_v3 = true};
    case 2:
      return Policy{.allow_v2 = true};
    default:
      return Policy::Opportunistic();
  }
}

void Pump(Party& alice, Party& bob, Output out, bool from_alice) {
  std::deque<InFlight> queue;
  for (std::string& s : out.to_send) queue.push_back({std::move(s), !from_alice});
  for (size_t delivered = 0; !queue.empty() && delivered < 64; ++delivered) {
    InFlight next = std::move(queue.front());
    queue.pop_front();
    Party& receiver = next.to_alice ? alice : bob;
    Output reply = receiver.session->Receive(receiver.clock.NowSeconds(), next.text);
    for (std::string& s : reply.to_send) queue.push_back({std::move(s), !next.to_alice});
  }
}

namespace {

void CheckConversation(const v3::Conversation& c) {
  if (c.message_state() >= v3::MessageState::kCount) OTR_FUZZ_FAIL();
  if (c.auth_state() >= v3::AuthState::kCount) OTR_FUZZ_FAIL();
  if (c.smp_state() >= smp::SmpState::kCount) OTR_FUZZ_FAIL();
  if (c.message_state() == v3::MessageState::kEncrypted) {
    if (c.keys() == nullptr || !c.their_fingerprint()) OTR_FUZZ_FAIL();
    if (c.version() != v3::Version::kV2 && c.version() != v3::Version::kV3) OTR_FUZZ_FAIL();
  }
  // SMP only progresses while ENCRYPTED ("Whenever the OTR message state
  // machine has MSGSTATE_ENCRYPTED set, the SMP state machine may progress"),
  // and every row leaving ENCRYPTED resets it (message_table.h, kResetSmp).
  if (c.message_state() != v3::MessageState::kEncrypted &&
      c.smp_state() != smp::SmpState::kExpect1) {
    OTR_FUZZ_FAIL();
  }
}

}  // namespace

void CheckStates(const Session& session) {
  // Session has no const accessor per instance; the selected one plus the
  // session-level view cover what the application sees.
  CheckConversation(*SelectedV3ForTesting(session));
  const ConversationState state = session.state();
  if (state != ConversationState::kPlaintext && state != ConversationState::kEncrypted &&
      state != ConversationState::kFinished) {
    OTR_FUZZ_FAIL();
  }
}

KeySnapshot Snapshot(const v3::Conversation& conversation) {
  KeySnapshot snapshot;
  snapshot.message_state = conversation.message_state();
  const v3::KeyState* keys = conversation.keys();
  if (keys == nullptr) return snapshot;
  snapshot.has_keys = true;
  snapshot.our_keyid = keys->our_keyid();
  snapshot.their_keyid = keys->their_keyid();
  auto hash = FuzzBackend().NewHash(crypto::HashAlgorithm::kSha256);
  for (const crypto::SecretBytes* secret : keys->HeldSecrets()) {
    const uint64_t size = secret->size();
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(size >> (8 * i));
    hash->Update(ByteView(length, 8));
    hash->Update(secret->view());
  }
  snapshot.secrets_hash = hash->Finish().Declassify();
  return snapshot;
}

bool HasEncryptedDisplay(const Output& out) {
  for (const Displayed& d : out.display) {
    if (d.encrypted) return true;
  }
  return false;
}

std::optional<v3::DataMessage> SealAsPeer(const Session& peer, const v3::Header& header,
                                          uint8_t flags, ByteView plaintext,
                                          crypto::Random& peer_random) {
  const v3::Conversation& conversation = *SelectedV3ForTesting(peer);
  if (conversation.message_state() != v3::MessageState::kEncrypted) return std::nullopt;
  // The fuzzer plays the peer's application and holds its secrets: it drives
  // the peer's own KeyState (a non-const object behind a const accessor), so
  // the peer's counters and pending reveals advance as for its own Send.
  auto* keys = const_cast<v3::KeyState*>(conversation.keys());
  if (keys == nullptr) return std::nullopt;
  auto sealed = keys->Seal(header, flags, plaintext, peer_random);
  if (!sealed.ok()) return std::nullopt;
  return std::move(sealed->message);
}

v3::Header HeaderFrom(const Session& sender, const Session& receiver) {
  v3::Header header;
  header.version = SelectedV3ForTesting(sender)->version();
  if (header.version == v3::Version::kV3) {
    header.sender_instance = sender.our_tag();
    header.receiver_instance = receiver.our_tag();
  }
  return header;
}

std::optional<Bytes> PeekPlaintext(const Session& receiver, const v3::DataMessage& message) {
  const v3::KeyState* keys = SelectedV3ForTesting(receiver)->keys();
  if (keys == nullptr) return std::nullopt;
  auto verified = keys->Verify(message);
  if (!verified.ok()) return std::nullopt;
  return verified->opened.plaintext.Declassify();
}

std::string Armor(const v3::Message& message) {
  return wire::EncodeArmor(v3::EncodeMessage(message));
}

std::optional<v3::Message> Dearmor(std::string_view text) {
  auto bytes = wire::DecodeArmor(text);
  if (!bytes.ok()) return std::nullopt;
  auto message = v3::DecodeMessage(*bytes);
  if (!message.ok()) return std::nullopt;
  return std::move(message).value();
}

}  // namespace otr::fuzzing
