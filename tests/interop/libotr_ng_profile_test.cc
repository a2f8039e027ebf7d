// Issue 20: the scenarios (libotr_ng_scenarios.h) between the
// `libotr-ng` compatibility profile (protocol/v4/libotr_ng: its DAKE and
// double ratchet as pure functions) and a libotr-ng client, each side
// starting. The profile's endpoint here is a small driver of those
// functions, not our Session: the Session does not yet select the profile
// (docs/libotr-ng-deviations.md, "what exists and what does not").
#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/v4/dake/dake.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/ratchet.h"
#include "protocol/v4/messages/tlv.h"
#include "protocol/wire/armor.h"
#include "protocol/wire/fragment.h"
#include "protocol/wire/reassembler_v4.h"
#include "protocol/wire/writer.h"
#include "tests/crypto/test_util.h"
#include "tests/interop/libotr_ng_peer.h"
#include "tests/interop/libotr_ng_scenarios.h"
#include "tests/session/v4_fixture.h"

namespace otr::testing {
namespace {

namespace ng = v4::libotr_ng;

constexpr uint8_t kIgnoreUnreadable = 0x01;  // MSG_FLAGS_IGNORE_UNREADABLE
constexpr size_t kMaxSkip = 1000;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

// One party speaking libotr-ng's OTRv4 through the profile's functions.
class ProfileEndpoint : public V4Endpoint {
 public:
  ProfileEndpoint(const crypto::Backend& backend, std::string account, std::string buddy,
                  uint32_t tag)
      : backend_(backend), account_(std::move(account)), buddy_(std::move(buddy)), tag_(tag) {
    identity_ = MakeV4Identity(backend_, tag, tag, Now(), "4");
    auto bytes = ng::EncodeAndSignClientProfile(backend_, identity_->long_term.sym_key,
                                                identity_->client_profile);
    EXPECT_TRUE(bytes.ok());
    ours_.long_term = &identity_->long_term;
    ours_.client_profile = &identity_->client_profile;
    ours_.client_profile_bytes = bytes.ok() ? *bytes : Bytes();
    ours_.instance_tag = tag_;
    ours_.identifier = account_;
  }

  std::string name() const override { return "profile " + account_; }
  std::vector<std::string> Start() override { return {"?OTRv4?"}; }

  std::vector<std::string> Send(const std::string& text, int max_size) override {
    Bytes plaintext(text.begin(), text.end());
    plaintext.push_back(0);
    return SendPlaintext(plaintext, 0, max_size);
  }

  std::vector<std::string> Receive(const std::string& message) override {
    if (wire::ContainsFragmentMarker(message)) {
      auto fragment = wire::DecodeFragment(message);
      EXPECT_TRUE(fragment.ok());
      if (!fragment.ok()) return {};
      auto whole = reassembler_.Add(static_cast<uint64_t>(Now()), *fragment);
      EXPECT_TRUE(whole.ok());
      if (!whole.ok() || !whole->has_value()) return {};
      return Receive(**whole);
    }
    if (message.rfind("?OTRv", 0) == 0) return OnQuery();
    auto bytes = wire::DecodeArmor(message);
    if (!bytes.ok() || bytes->size() < 3) {
      ADD_FAILURE() << name() << " cannot read " << message.substr(0, 40);
      return {};
    }
    switch (static_cast<v4::MessageType>((*bytes)[2])) {
      case v4::MessageType::kIdentity:
        return OnIdentity(*bytes);
      case v4::MessageType::kAuthR:
        return OnAuthR(*bytes);
      case v4::MessageType::kAuthI:
        return OnAuthI(*bytes);
      case v4::MessageType::kData:
        return OnData(*bytes);
      default:
        ADD_FAILURE() << name() << ": unexpected message type " << int{(*bytes)[2]};
        return {};
    }
  }

  // SMP is not in the profile yet (docs/libotr-ng-deviations.md).
  std::vector<std::string> StartSmp(const std::string&, const std::string&) override {
    ADD_FAILURE() << "the profile has no SMP yet";
    return {};
  }
  std::vector<std::string> RespondSmp(const std::string&) override { return StartSmp("", ""); }
  std::vector<std::string> AbortSmp() override { return StartSmp("", ""); }

  // "Disconnected" (TLV 1), then plaintext.
  std::vector<std::string> Disconnect() override {
    auto out = SendTlv(static_cast<uint16_t>(v4::TlvType::kDisconnected), {}, nullptr);
    ratchet_.reset();
    return out;
  }
  std::vector<std::string> UseSymmetricKey(uint32_t use, const std::string& data,
                                           std::string* key) override {
    wire::Writer w;
    w.WriteU32(use);
    w.WriteBytes(AsBytes(data));
    return SendTlv(static_cast<uint16_t>(v4::TlvType::kExtraSymmetricKey), std::move(w).Finish(),
                   key);
  }
  // "Session Expiration": the session's keys are dropped and TLV 1 sent.
  std::vector<std::string> ExpireSession() override { return Disconnect(); }

  bool encrypted() const override { return ratchet_.has_value() && !waiting_for_data_; }
  bool finished() const override { return finished_; }
  std::vector<std::string> displayed() const override { return displayed_; }
  int smp_successes() const override { return 0; }
  int smp_failures() const override { return 0; }
  int smp_aborts() const override { return 0; }
  bool smp_asked() const override { return false; }
  std::string last_smp_question() const override { return ""; }
  std::string received_symkey() const override { return received_symkey_; }

 private:
  std::vector<std::string> OnQuery() {
    auto keys = v4::dake::GenerateOurDakeKeys(backend_, random_);
    EXPECT_TRUE(keys.ok());
    dake_keys_ = std::move(keys).value();
    return {
        wire::EncodeArmor(ng::EncodeIdentity(ng::MakeIdentity(backend_, ours_, 0, dake_keys_)))};
  }

  std::vector<std::string> OnIdentity(const Bytes& bytes) {
    auto identity = ng::DecodeIdentity(bytes);
    EXPECT_TRUE(identity.ok());
    if (!identity.ok()) return {};
    auto bob = ng::ValidateIdentity(backend_, *identity, tag_, Now());
    EXPECT_TRUE(bob.ok());
    if (!bob.ok()) return {};
    auto keys = v4::dake::GenerateOurDakeKeys(backend_, random_);
    EXPECT_TRUE(keys.ok());
    dake_keys_ = std::move(keys).value();
    auto auth_r = ng::MakeAuthR(backend_, ours_, bob.value(), buddy_, dake_keys_, random_);
    EXPECT_TRUE(auth_r.ok());
    if (!auth_r.ok()) return {};
    std::string wire = wire::EncodeArmor(ng::EncodeAuthR(auth_r->message));
    pending_ = std::move(auth_r).value();
    return {wire};
  }

  std::vector<std::string> OnAuthR(const Bytes& bytes) {
    auto auth_r = ng::DecodeAuthR(backend_, bytes);
    EXPECT_TRUE(auth_r.ok());
    if (!auth_r.ok()) return {};
    auto sent =
        ng::ValidateAuthRAndMakeAuthI(backend_, *auth_r, ours_, dake_keys_, buddy_, Now(), random_);
    EXPECT_TRUE(sent.ok());
    if (!sent.ok()) return {};
    their_tag_ = sent->established.their.instance_tag;
    auto r = ng::Ratchet::StartAuthISender(backend_, sent->established.shared_secret,
                                           auth_r->x_first, auth_r->a_first, kMaxSkip);
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return {};
    ratchet_ = std::move(r).value();
    waiting_for_data_ = true;  // otrv4.md WAITING_DAKE_DATA_MESSAGE
    return {wire::EncodeArmor(ng::EncodeAuthI(sent->message))};
  }

  std::vector<std::string> OnAuthI(const Bytes& bytes) {
    auto auth_i = ng::DecodeAuthI(backend_, bytes);
    EXPECT_TRUE(auth_i.ok() && pending_.has_value());
    if (!auth_i.ok() || !pending_.has_value()) return {};
    auto established = ng::ValidateAuthI(backend_, *auth_i, ours_, std::move(*pending_));
    pending_.reset();
    EXPECT_TRUE(established.ok());
    if (!established.ok()) return {};
    their_tag_ = established->their.instance_tag;
    auto r = ng::Ratchet::StartAuthRSender(backend_, established->shared_secret,
                                           dake_keys_.ecdh_first, dake_keys_.dh_first, kMaxSkip);
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return {};
    ratchet_ = std::move(r).value();
    // As libotr-ng (otrng.c, receive_auth_i): an empty Data Message at once.
    return SendPlaintext(Bytes{0}, kIgnoreUnreadable, 0);
  }

  std::vector<std::string> OnData(const Bytes& bytes) {
    auto m = ng::Decode(bytes);
    EXPECT_TRUE(m.ok());
    if (!m.ok() || !ratchet_.has_value()) return {};
    auto opened = ratchet_->Receive(backend_, *m);
    EXPECT_TRUE(opened.ok()) << name() << ": " << (opened.ok() ? "" : opened.error().context);
    if (!opened.ok()) return {};
    waiting_for_data_ = false;
    const v4::DataPayload payload = v4::DecodeDataPayload(opened->plaintext.view());
    if (!payload.message.empty()) {
      displayed_.emplace_back(payload.message.begin(), payload.message.end());
    }
    for (const v4::TlvRecord& tlv : payload.tlvs) {
      if (tlv.type == static_cast<uint16_t>(v4::TlvType::kDisconnected)) {
        ratchet_.reset();
        finished_ = true;
      } else if (tlv.type == static_cast<uint16_t>(v4::TlvType::kExtraSymmetricKey)) {
        received_symkey_.assign(
            opened->extra_symmetric_key.data(),
            opened->extra_symmetric_key.data() + opened->extra_symmetric_key.size());
      }
    }
    return {};
  }

  std::vector<std::string> SendTlv(uint16_t type, Bytes value, std::string* key) {
    v4::DataPayload payload;
    payload.has_tlv_part = true;
    payload.tlvs.push_back(v4::TlvRecord{type, std::move(value)});
    auto plaintext = v4::EncodeDataPayload(payload);
    EXPECT_TRUE(plaintext.ok());
    return SendPlaintext(*plaintext, kIgnoreUnreadable, 0, key);
  }

  std::vector<std::string> SendPlaintext(const Bytes& plaintext, uint8_t flags, int max_size,
                                         std::string* key = nullptr) {
    EXPECT_TRUE(ratchet_.has_value()) << name() << " is not encrypted";
    if (!ratchet_.has_value()) return {};
    crypto::SecretBytes extra;
    auto m = ratchet_->Send(backend_, plaintext, flags, tag_, their_tag_, random_, &extra);
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return {};
    if (key != nullptr) key->assign(extra.data(), extra.data() + extra.size());
    std::string wire = wire::EncodeArmor(ng::Encode(*m));
    if (max_size <= 0) return {wire};
    auto pieces =
        wire::FragmentMessageV4(wire, static_cast<size_t>(max_size), random_, tag_, their_tag_);
    EXPECT_TRUE(pieces.ok());
    return pieces.ok() ? *pieces : std::vector<std::string>{};
  }

  const crypto::Backend& backend_;
  std::string account_, buddy_;
  uint32_t tag_;
  uint32_t their_tag_ = 0;
  crypto::testing::DeterministicRandom random_{70};
  std::unique_ptr<v4::Identity> identity_;
  ng::OurSide ours_;
  v4::dake::OurDakeKeys dake_keys_;
  std::optional<ng::AuthRSent> pending_;
  std::optional<ng::Ratchet> ratchet_;
  bool waiting_for_data_ = false;
  bool finished_ = false;
  wire::ReassemblerV4 reassembler_;
  std::vector<std::string> displayed_;
  std::string received_symkey_;
};

// GetParam: the backend; the test names say who starts.
class LibotrNgProfileTest : public crypto::testing::BackendTest {
 protected:
  ProfileEndpoint ours_{backend(), "alice@example.org", "bob@example.org", 0x2000a11c};
  std::unique_ptr<V4Endpoint> ng_ =
      MakeNgEndpoint("bob@example.org", "alice@example.org", 0x10000b0b);
  V4Endpoint& ng() { return *ng_; }
};

// Every scenario on the default backend (CI budget: libotr-ng's 3072-bit DH
// makes the 200-message ping-pong several seconds long); the DAKE and a
// 30-message ping-pong on every backend (LibotrNgProfileAllBackendsTest).
TEST_P(LibotrNgProfileTest, DakeWeStart) { ScenarioDake(ours_, ng()); }
TEST_P(LibotrNgProfileTest, DakeTheyStart) { ScenarioDake(ng(), ours_); }
TEST_P(LibotrNgProfileTest, PingPong200WeStart) { ScenarioPingPong(ours_, ng(), 200); }
TEST_P(LibotrNgProfileTest, PingPong200TheyStart) { ScenarioPingPong(ng(), ours_, 200); }
TEST_P(LibotrNgProfileTest, Burst200WeStart) { ScenarioBurst(ours_, ng(), 200); }
TEST_P(LibotrNgProfileTest, Burst200TheyStart) { ScenarioBurst(ng(), ours_, 200); }
TEST_P(LibotrNgProfileTest, OutOfOrderWeSend) { ScenarioOutOfOrder(ours_, ng()); }
TEST_P(LibotrNgProfileTest, OutOfOrderTheySend) { ScenarioOutOfOrder(ng(), ours_); }
TEST_P(LibotrNgProfileTest, FragmentsWeStart) { ScenarioFragments(ours_, ng()); }
TEST_P(LibotrNgProfileTest, FragmentsTheyStart) { ScenarioFragments(ng(), ours_); }
// Our key is the one libotr-ng's receiver derives; libotr-ng as sender
// hands its user another (its defect, docs/libotr-ng-deviations.md).
TEST_P(LibotrNgProfileTest, ExtraSymmetricKeyWeSend) { ScenarioExtraKey(ours_, ng(), true); }
TEST_P(LibotrNgProfileTest, ExtraSymmetricKeyTheySend) { ScenarioExtraKey(ng(), ours_, false); }
TEST_P(LibotrNgProfileTest, DisconnectWe) { ScenarioDisconnect(ours_, ng()); }
TEST_P(LibotrNgProfileTest, DisconnectThey) { ScenarioDisconnect(ng(), ours_); }
TEST_P(LibotrNgProfileTest, ExpiryOurs) { ScenarioExpiry(ours_, ng()); }
TEST_P(LibotrNgProfileTest, ExpiryTheirs) { ScenarioExpiry(ng(), ours_); }

INSTANTIATE_TEST_SUITE_P(DefaultBackend, LibotrNgProfileTest,
                         ::testing::Values(&crypto::DefaultBackend()),
                         crypto::testing::BackendParamName);

class LibotrNgProfileAllBackendsTest : public LibotrNgProfileTest {};

TEST_P(LibotrNgProfileAllBackendsTest, DakeWeStart) { ScenarioDake(ours_, ng()); }
TEST_P(LibotrNgProfileAllBackendsTest, DakeTheyStart) { ScenarioDake(ng(), ours_); }
TEST_P(LibotrNgProfileAllBackendsTest, PingPong30WeStart) { ScenarioPingPong(ours_, ng(), 30); }
TEST_P(LibotrNgProfileAllBackendsTest, PingPong30TheyStart) { ScenarioPingPong(ng(), ours_, 30); }

OTR_INSTANTIATE_FOR_ALL_BACKENDS(LibotrNgProfileAllBackendsTest);

}  // namespace
}  // namespace otr::testing
