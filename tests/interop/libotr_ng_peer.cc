#include "tests/interop/libotr_ng_peer.h"

extern "C" {
#include <gcrypt.h>

#include "client.h"
#include "client_callbacks.h"
#include "client_profile.h"
#include "dh.h"
#include "ed448.h"
#include "fragment.h"
#include "key_management.h"
#include "keys.h"
#include "messaging.h"
#include "otrng.h"
#include "prekey_manager.h"
#include "prekey_profile.h"
#include "smp.h"
}

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace otr::testing {
namespace {

// Which peer owns each libotr-ng client: libotr-ng's callbacks carry the
// client (through the conversation), never a user pointer.
std::map<const otrng_client_s*, LibotrNgPeer*>& Owners() {
  static std::map<const otrng_client_s*, LibotrNgPeer*> owners;
  return owners;
}

LibotrNgPeer* OwnerOf(const otrng_s* conv) {
  if (conv == nullptr) return nullptr;
  auto it = Owners().find(conv->client);
  return it == Owners().end() ? nullptr : it->second;
}

void Require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("libotr-ng: ") + what + " failed");
}

// Takes ownership of a string libotr-ng allocated (may be null).
std::string Take(char* s) {
  std::string out = s != nullptr ? s : "";
  std::free(s);
  return out;
}

// Seconds after which libotr-ng expires a session (its pidgin plugin's
// default is also a few hours; the value only matters to ExpireSession).
constexpr uint32_t kExpirationSeconds = 3600;

// --- callbacks -----------------------------------------------------------

void Nothing(otrng_client_s*) {}

void CreateClientProfile(otrng_client_s* client) {
  otrng_client_profile_s* profile = otrng_client_build_default_client_profile(client);
  if (profile == nullptr) return;
  otrng_client_add_client_profile(client, profile);
  otrng_client_profile_free(profile);
}

void CreatePrekeyProfile(otrng_client_s* client) {
  otrng_prekey_profile_s* profile = otrng_client_build_default_prekey_profile(client);
  if (profile == nullptr) return;
  otrng_client_add_prekey_profile(client, profile);
  otrng_prekey_profile_free(profile);
}

void DisplayError(const otrng_error_event event, string_p* to_display, const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv)) peer->OnErrorEvent(event);
  if (to_display != nullptr && *to_display == nullptr) *to_display = strdup("(libotr-ng error)");
}

void HandleEvent(const otrng_msg_event) {}

otrng_policy_s Policy(otrng_client_s*) {
  otrng_policy_s policy;
  policy.allows = OTRNG_ALLOW_V4;
  policy.type = OTRNG_POLICY_ALWAYS;
  return policy;
}

otrng_bool NoHeartbeat(long) { return otrng_false; }

void GoneSecure(const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv)) peer->OnGoneSecure();
}
void GoneInsecure(const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv)) peer->OnGoneInsecure();
}
void SmpAskForSecret(const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv)) peer->OnSmpAsked("");
}
void SmpAskForAnswer(const uint8_t* question, const size_t q_len, const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv))
    peer->OnSmpAsked(question == nullptr
                         ? std::string()
                         : std::string(reinterpret_cast<const char*>(question), q_len));
}
void SmpUpdate(const otrng_smp_event event, const uint8_t, const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv)) peer->OnSmp(event);
}
void ReceivedSymkey(const otrng_s* conv, unsigned int use, const unsigned char* use_data,
                    size_t use_data_len, const unsigned char* key) {
  if (LibotrNgPeer* peer = OwnerOf(conv))
    peer->OnSymkey(use, std::string(reinterpret_cast<const char*>(use_data), use_data_len),
                   std::string(reinterpret_cast<const char*>(key), EXTRA_SYMMETRIC_KEY_BYTES));
}
uint32_t ExpirationTime(const otrng_s*) { return kExpirationSeconds; }
void Inject(const otrng_s* conv, string_p message) {
  std::string text = Take(message);
  if (LibotrNgPeer* peer = OwnerOf(conv)) peer->OnInject(std::move(text));
}

std::string Hex(const uint8_t* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

void FingerprintSeen(const otrng_fingerprint fp, const otrng_s* conv) {
  if (LibotrNgPeer* peer = OwnerOf(conv))
    peer->OnFingerprintSeen(Hex(fp, sizeof(otrng_fingerprint)));
}

otrng_shared_session_state_s SharedSessionState(const otrng_s* conv);

otrng_client_callbacks_s MakeCallbacks() {
  otrng_client_callbacks_s cb{};
  cb.create_instag = Nothing;
  cb.create_privkey_v3 = Nothing;
  cb.create_privkey_v4 = Nothing;
  cb.create_forging_key = Nothing;
  cb.create_client_profile = CreateClientProfile;
  cb.store_expired_client_profile = Nothing;
  cb.load_expired_client_profile = Nothing;
  cb.store_expired_prekey_profile = Nothing;
  cb.load_expired_prekey_profile = Nothing;
  cb.create_prekey_profile = CreatePrekeyProfile;
  cb.gone_secure = GoneSecure;
  cb.gone_insecure = GoneInsecure;
  cb.smp_ask_for_secret = SmpAskForSecret;
  cb.smp_ask_for_answer = SmpAskForAnswer;
  cb.smp_update = SmpUpdate;
  cb.display_error_message = DisplayError;
  cb.handle_event = HandleEvent;
  cb.received_extra_symm_key = ReceivedSymkey;
  cb.get_shared_session_state = SharedSessionState;
  cb.load_privkey_v4 = Nothing;
  cb.load_privkey_v3 = Nothing;
  cb.load_client_profile = Nothing;
  cb.load_prekey_profile = Nothing;
  cb.store_client_profile = Nothing;
  cb.store_prekey_profile = Nothing;
  cb.load_prekey_messages = Nothing;
  cb.store_prekey_messages = Nothing;
  cb.store_privkey_v4 = Nothing;
  cb.store_privkey_v3 = Nothing;
  cb.load_forging_key = Nothing;
  cb.store_forging_key = Nothing;
  cb.define_policy = Policy;
  cb.store_fingerprints_v4 = Nothing;
  cb.load_fingerprints_v4 = Nothing;
  cb.store_fingerprints_v3 = Nothing;
  cb.load_fingerprints_v3 = Nothing;
  cb.session_expiration_time_for = ExpirationTime;
  cb.inject_message = Inject;
  cb.fingerprint_seen = FingerprintSeen;
  return cb;
}

const otrng_client_callbacks_s& Callbacks() {
  static const otrng_client_callbacks_s callbacks = MakeCallbacks();
  return callbacks;
}

void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Require(otrng_init(otrng_false) == OTRNG_SUCCESS, "otrng_init"); });
}

}  // namespace

struct LibotrNgPeer::State {
  std::string account;
  std::string protocol = "xmpp";
  otrng_global_state_s* global = nullptr;
  otrng_client_s* client = nullptr;  // owned by `global`

  otrng_conversation_s* Conversation(const std::string& buddy) const {
    return otrng_client_get_conversation(1, buddy.c_str(), client);
  }
};

namespace {

// otrv4.md "Shared Session State": both parties' identifiers; libotr-ng
// orders them itself (otrng.c, otrng_generate_session_state_string).
otrng_shared_session_state_s SharedSessionState(const otrng_s* conv) {
  otrng_shared_session_state_s state{};
  state.identifier1 = strdup(conv->client->client_id.account);
  state.identifier2 = strdup(conv->peer != nullptr ? conv->peer : "");
  state.password = nullptr;
  return state;
}

}  // namespace

namespace {

// --- the prekey manager's callbacks (prekey_manager.h) -------------------

LibotrNgPeer* OwnerOfClient(const otrng_client_s* client) {
  auto it = Owners().find(client);
  return it == Owners().end() ? nullptr : it->second;
}

// Every account of these tests is on one domain, served by one server.
constexpr const char* kPrekeyDomain = "prekey-domain";

const char* DomainForAccount(otrng_client_s*, void*) { return kPrekeyDomain; }

void PrekeyNotifyError(otrng_client_s* client, int error, void*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client))
    peer->mutable_prekey_events().errors.push_back(error);
}

int BuildPublication(otrng_client_s* client, otrng_prekey_publication_message_s* pub_msg, void*) {
  LibotrNgPeer* peer = OwnerOfClient(client);
  if (peer == nullptr) return 0;
  if (peer->publish_client_profile()) {
    pub_msg->client_profile =
        static_cast<otrng_client_profile_s*>(std::calloc(1, sizeof(otrng_client_profile_s)));
    if (!otrng_client_profile_copy(pub_msg->client_profile, client->client_profile)) return 0;
  }
  if (peer->publish_prekey_profile()) {
    pub_msg->prekey_profile =
        static_cast<otrng_prekey_profile_s*>(std::calloc(1, sizeof(otrng_prekey_profile_s)));
    otrng_prekey_profile_copy(pub_msg->prekey_profile, client->prekey_profile);
  }
  otrng_prekey_add_prekey_messages_for_publication(client, pub_msg);
  return 1;
}

void SuccessReceived(otrng_client_s* client, void*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client)) ++peer->mutable_prekey_events().successes;
}
void FailureReceived(otrng_client_s* client, void*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client)) ++peer->mutable_prekey_events().failures;
}
void LowPrekeys(otrng_client_s* client, void*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client)) ++peer->mutable_prekey_events().low_storage;
}
void StorageStatusReceived(otrng_client_s* client, const otrng_prekey_storage_status_message_s* msg,
                           void*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client))
    peer->mutable_prekey_events().storage_status.push_back(msg->stored_prekeys);
}
void NoPrekeysReceived(otrng_client_s* client, const char*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client)) ++peer->mutable_prekey_events().no_prekeys;
}
void EnsemblesReceived(otrng_client_s* client, prekey_ensemble_s* const* const ensembles, uint8_t n,
                       const char*) {
  if (LibotrNgPeer* peer = OwnerOfClient(client)) {
    peer->mutable_prekey_events().ensembles.push_back(n);
    peer->OnEnsembles(const_cast<prekey_ensemble_s**>(ensembles), n);
  }
}

}  // namespace

void LibotrNgPeer::UsePrekeyServer(const std::string& our_identity,
                                   const std::string& server_identity) {
  otrng_client_s* client = state_->client;
  otrng_prekey_ensure_manager(client, our_identity.c_str());
  otrng_prekey_callbacks_s* cb = client->prekey_manager->callbacks;
  cb->domain_for_account = DomainForAccount;
  cb->notify_error = PrekeyNotifyError;
  cb->build_prekey_publication_message = BuildPublication;
  cb->success_received = SuccessReceived;
  cb->failure_received = FailureReceived;
  cb->low_prekey_messages_in_storage = LowPrekeys;
  cb->storage_status_received = StorageStatusReceived;
  cb->no_prekey_in_storage_received = NoPrekeysReceived;
  cb->prekey_ensembles_received = EnsemblesReceived;
  // The fingerprint is stored, never checked (prekey_manager.c): zeros.
  otrng_fingerprint fpr{};
  otrng_prekey_provide_server_identity_for(client, kPrekeyDomain, server_identity.c_str(), fpr);
  prekey_server_ = server_identity;
}

std::string LibotrNgPeer::PrekeyStorageRequest() {
  char* msg = nullptr;
  Require(otrng_prekey_request_storage_information(&msg, state_->client, nullptr) == OTRNG_SUCCESS,
          "otrng_prekey_request_storage_information");
  return Take(msg);
}

std::string LibotrNgPeer::PrekeyPublish(bool client_profile, bool prekey_profile,
                                        int prekey_messages) {
  publish_client_profile_ = client_profile;
  publish_prekey_profile_ = prekey_profile;
  if (prekey_messages > 0) {
    prekey_message_s** messages =
        otrng_client_build_prekey_messages(static_cast<uint8_t>(prekey_messages), state_->client);
    Require(messages != nullptr, "otrng_client_build_prekey_messages");
    for (int i = 0; i < prekey_messages; ++i) messages[i]->should_publish = otrng_true;
    std::free(messages);  // the messages stay in the client's list
  }
  char* msg = nullptr;
  Require(otrng_prekey_publish(&msg, state_->client, nullptr) == OTRNG_SUCCESS,
          "otrng_prekey_publish");
  return Take(msg);
}

std::string LibotrNgPeer::PrekeyReceive(const std::string& message, bool* handled) {
  char* reply = nullptr;
  const otrng_bool h =
      otrng_prekey_receive(&reply, state_->client, prekey_server_.c_str(), message.c_str());
  if (handled != nullptr) *handled = h == otrng_true;
  return Take(reply);
}

std::string LibotrNgPeer::PrekeyRetrieve(const std::string& identity) {
  char* msg = nullptr;
  otrng_prekey_retrieve_prekeys(&msg, state_->client, identity.c_str(), "4");
  return Take(msg);
}

void LibotrNgPeer::OnEnsembles(void* ensembles, int count) {
  if (!start_offline_ || count < 1) return;
  start_offline_ = false;
  // process_received_prekey_ensemble_retrieval drops invalid ones to NULL.
  auto** list = static_cast<prekey_ensemble_s**>(ensembles);
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  if (conv == nullptr) return;
  for (int i = 0; i < count; ++i) {
    if (list[i] == nullptr) continue;
    char* msg = nullptr;
    if (otrng_send_non_interactive_auth(&msg, list[i], conv->conn) == OTRNG_SUCCESS) {
      offline_start_.push_back(Take(msg));
    } else {
      std::free(msg);
    }
    return;
  }
}

std::vector<std::string> LibotrNgPeer::TakeOfflineStart() {
  std::vector<std::string> out = std::move(offline_start_);
  offline_start_.clear();
  return TakeInjected(std::move(out));
}

std::string LibotrNgPeer::PrekeyProfileBytesForTesting() const {
  uint8_t* ser = nullptr;
  size_t len = 0;
  Require(
      otrng_prekey_profile_serialize(&ser, &len, state_->client->prekey_profile) == OTRNG_SUCCESS,
      "otrng_prekey_profile_serialize");
  std::string out(reinterpret_cast<const char*>(ser), len);
  std::free(ser);
  return out;
}

LibotrNgPeer::LibotrNgPeer(std::string account, std::string buddy, uint32_t instance_tag)
    : state_(std::make_unique<State>()), buddy_(std::move(buddy)) {
  InitOnce();
  state_->account = std::move(account);
  state_->global = otrng_global_state_new(&Callbacks(), otrng_false);
  Require(state_->global != nullptr, "otrng_global_state_new");
  otrng_client_id_s id;
  id.protocol = state_->protocol.c_str();
  id.account = state_->account.c_str();
  otrng_client_s* client = otrng_client_get(state_->global, id);
  Require(client != nullptr, "otrng_client_get");
  state_->client = client;
  Owners()[client] = this;

  uint8_t sym[ED448_PRIVATE_BYTES];
  gcry_randomize(sym, sizeof sym, GCRY_STRONG_RANDOM);
  Require(otrng_client_add_private_key_v4(client, sym) == OTRNG_SUCCESS, "add_private_key_v4");
  gcry_randomize(sym, sizeof sym, GCRY_STRONG_RANDOM);
  otrng_keypair_s* forging = otrng_keypair_new();
  Require(otrng_keypair_generate(forging, sym) == OTRNG_SUCCESS, "forging keypair");
  Require(otrng_client_add_forging_key(client, forging->pub) == OTRNG_SUCCESS, "add_forging_key");
  otrng_keypair_free(forging);
  std::memset(sym, 0, sizeof sym);
  Require(otrng_client_add_instance_tag(client, instance_tag) == OTRNG_SUCCESS, "add_instance_tag");
  client->should_heartbeat = NoHeartbeat;
  CreateClientProfile(client);
  CreatePrekeyProfile(client);
  Require(client->client_profile != nullptr && client->prekey_profile != nullptr, "profiles");
}

LibotrNgPeer::~LibotrNgPeer() {
  Owners().erase(state_->client);
  otrng_global_state_free(state_->global);
}

std::vector<std::string> LibotrNgPeer::TakeInjected(std::vector<std::string> out) {
  for (std::string& m : injected_) out.push_back(std::move(m));
  injected_.clear();
  return out;
}

std::string LibotrNgPeer::Query() {
  return Take(otrng_client_query_message(buddy_.c_str(), "", state_->client));
}

std::string LibotrNgPeer::IdentityMessage() {
  return Take(otrng_client_identity_message(buddy_.c_str(), state_->client));
}

std::vector<std::string> LibotrNgPeer::Send(const std::string& text, int max_size) {
  std::vector<std::string> out;
  if (max_size > 0) {
    // The caller owns the struct: otrng_client_send_fragment fills *pieces.
    auto* pieces =
        static_cast<otrng_message_to_send_s*>(std::calloc(1, sizeof(otrng_message_to_send_s)));
    Require(pieces != nullptr, "calloc");
    Require(otrng_client_send_fragment(&pieces, text.c_str(), max_size, buddy_.c_str(),
                                       state_->client) == OTRNG_SUCCESS,
            "otrng_client_send_fragment");
    // otrng_message_free is private to libotr-ng (tstatic): free its parts.
    for (int i = 0; i < pieces->total; ++i) out.push_back(Take(pieces->pieces[i]));
    std::free(pieces->pieces);
    std::free(pieces);
  } else {
    char* wire = nullptr;
    Require(otrng_client_send(&wire, text.c_str(), buddy_.c_str(), state_->client) == OTRNG_SUCCESS,
            "otrng_client_send");
    if (wire != nullptr) out.push_back(Take(wire));
  }
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::Receive(const std::string& message) {
  char* reply = nullptr;
  char* shown = nullptr;
  otrng_bool ignore = otrng_false;
  // A refused message is an error result with an error event, not a failure
  // of the test harness: the scenarios look at the events.
  otrng_client_receive(&reply, &shown, message.c_str(), buddy_.c_str(), state_->client, &ignore);
  std::vector<std::string> out;
  std::string r = Take(reply);
  if (!r.empty()) out.push_back(std::move(r));
  if (shown != nullptr) displayed_.push_back(Take(shown));
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::StartSmp(const std::string& secret,
                                                const std::string& question) {
  char* wire = nullptr;
  Require(otrng_client_smp_start(
              &wire, buddy_.c_str(), reinterpret_cast<const unsigned char*>(question.data()),
              question.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
              state_->client) == OTRNG_SUCCESS,
          "otrng_client_smp_start");
  std::vector<std::string> out;
  if (wire != nullptr) out.push_back(Take(wire));
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::RespondSmp(const std::string& secret) {
  char* wire = nullptr;
  Require(otrng_client_smp_respond(&wire, buddy_.c_str(),
                                   reinterpret_cast<const unsigned char*>(secret.data()),
                                   secret.size(), state_->client) == OTRNG_SUCCESS,
          "otrng_client_smp_respond");
  smp_asked_ = false;
  std::vector<std::string> out;
  if (wire != nullptr) out.push_back(Take(wire));
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::AbortSmp() {
  char* wire = nullptr;
  Require(otrng_client_smp_abort(&wire, buddy_.c_str(), state_->client) == OTRNG_SUCCESS,
          "otrng_client_smp_abort");
  std::vector<std::string> out;
  if (wire != nullptr) out.push_back(Take(wire));
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::Disconnect() {
  char* wire = nullptr;
  Require(otrng_client_disconnect(&wire, buddy_.c_str(), state_->client) == OTRNG_SUCCESS,
          "otrng_client_disconnect");
  std::vector<std::string> out;
  if (wire != nullptr) out.push_back(Take(wire));
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::UseSymmetricKey(uint32_t use, const std::string& use_data,
                                                       std::string* key) {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  Require(conv != nullptr, "conversation");
  char* wire = nullptr;
  uint8_t k[EXTRA_SYMMETRIC_KEY_BYTES] = {};
  Require(
      otrng_send_symkey_message(&wire, use, reinterpret_cast<const unsigned char*>(use_data.data()),
                                use_data.size(), k, conv->conn) == OTRNG_SUCCESS,
      "otrng_send_symkey_message");
  if (key != nullptr) key->assign(reinterpret_cast<const char*>(k), sizeof k);
  std::memset(k, 0, sizeof k);
  std::vector<std::string> out;
  if (wire != nullptr) out.push_back(Take(wire));
  return TakeInjected(std::move(out));
}

std::vector<std::string> LibotrNgPeer::ExpireSession() {
  // What otrng_client_expire_session does under its teardown policy
  // (client.c): otrng_client_disconnect_conversation (which
  // otrng_client_disconnect calls), then inject the TLV 1 message. Done
  // here because libotr-ng's own function injects
  // through the conversation it has just freed (a use after free), and
  // otrng_client_expire_sessions never reaches a conversation
  // (docs/libotr-ng-deviations.md, "libotr-ng defects").
  char* wire = nullptr;
  Require(otrng_client_disconnect(&wire, buddy_.c_str(), state_->client) == OTRNG_SUCCESS,
          "otrng_client_disconnect");
  std::vector<std::string> out;
  if (wire != nullptr) out.push_back(Take(wire));
  return TakeInjected(std::move(out));
}

bool LibotrNgPeer::ExpireSessionsExpiresAnAgedSession() {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  Require(conv != nullptr, "conversation");
  conv->conn->keys->last_generated = std::time(nullptr) - kExpirationSeconds - 1000;
  otrng_client_expire_sessions(state_->client);
  const bool expired = injected_.size() > 0;
  injected_.clear();
  return expired;
}

std::string LibotrNgPeer::SendingChainKeyForTesting() const {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  Require(conv != nullptr && conv->conn->keys->current != nullptr, "ratchet");
  const auto* key = conv->conn->keys->current->chain_s;
  return std::string(reinterpret_cast<const char*>(key), CHAIN_KEY_BYTES);
}

std::string LibotrNgPeer::SsidForTesting() const {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  Require(conv != nullptr, "conversation");
  return std::string(reinterpret_cast<const char*>(conv->conn->keys->ssid), SSID_BYTES);
}

namespace {

std::string PointBytes(const ec_point p) {
  uint8_t out[ED448_POINT_BYTES];
  Require(otrng_ec_point_encode(out, sizeof out, p) == OTRNG_SUCCESS, "otrng_ec_point_encode");
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string MpiBytes(gcry_mpi_t mpi) {
  uint8_t out[DH3072_MOD_LEN_BYTES];
  size_t written = 0;
  Require(otrng_dh_mpi_serialize(out, sizeof out, &written, mpi) == OTRNG_SUCCESS,
          "otrng_dh_mpi_serialize");
  return std::string(reinterpret_cast<const char*>(out), written);
}

}  // namespace

LibotrNgPeer::RatchetKeys LibotrNgPeer::RatchetKeysForTesting() const {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  Require(conv != nullptr, "conversation");
  const key_manager_s* keys = conv->conn->keys;
  return RatchetKeys{PointBytes(keys->our_ecdh->pub), PointBytes(keys->their_ecdh),
                     MpiBytes(keys->our_dh->pub), MpiBytes(keys->their_dh)};
}

std::string LibotrNgPeer::ClientProfileBytesForTesting() const {
  uint8_t* bytes = nullptr;
  size_t size = 0;
  Require(otrng_client_profile_serialize(&bytes, &size, state_->client->client_profile) ==
              OTRNG_SUCCESS,
          "otrng_client_profile_serialize");
  std::string out(reinterpret_cast<const char*>(bytes), size);
  std::free(bytes);
  return out;
}

bool LibotrNgPeer::AcceptsClientProfileForTesting(const std::string& bytes, uint32_t sender_tag) {
  InitOnce();
  auto* profile =
      static_cast<otrng_client_profile_s*>(std::calloc(1, sizeof(otrng_client_profile_s)));
  Require(profile != nullptr, "calloc");
  size_t read = 0;
  const bool ok =
      otrng_client_profile_deserialize(profile, reinterpret_cast<const uint8_t*>(bytes.data()),
                                       bytes.size(), &read) == OTRNG_SUCCESS &&
      read == bytes.size() && otrng_client_profile_valid(profile, sender_tag) == otrng_true;
  otrng_client_profile_free(profile);
  return ok;
}

bool LibotrNgPeer::encrypted() const {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  return conv != nullptr && otrng_conversation_is_encrypted(conv) == otrng_true;
}

bool LibotrNgPeer::finished() const {
  otrng_conversation_s* conv = state_->Conversation(buddy_);
  return conv != nullptr && otrng_conversation_is_finished(conv) == otrng_true;
}

uint32_t LibotrNgPeer::our_instance_tag() const {
  return otrng_client_get_instance_tag(state_->client);
}

std::string LibotrNgPeer::our_fingerprint_hex() const {
  otrng_fingerprint fp;
  Require(otrng_client_get_our_fingerprint(fp, state_->client) == OTRNG_SUCCESS, "fingerprint");
  return Hex(fp, sizeof fp);
}

void LibotrNgPeer::OnSmp(int event) {
  switch (event) {
    case OTRNG_SMP_EVENT_SUCCESS:
      ++smp_successes_;
      break;
    case OTRNG_SMP_EVENT_FAILURE:
    case OTRNG_SMP_EVENT_CHEATED:
    case OTRNG_SMP_EVENT_ERROR:
      ++smp_failures_;
      break;
    case OTRNG_SMP_EVENT_ABORT:
      ++smp_aborts_;
      break;
    default:
      break;
  }
}

void LibotrNgPeer::OnSmpAsked(const std::string& question) {
  smp_asked_ = true;
  last_question_ = question;
}

void LibotrNgPeer::OnSymkey(uint32_t use, const std::string& data, const std::string& key) {
  received_symkey_use_ = use;
  received_symkey_data_ = data;
  received_symkey_ = key;
}

}  // namespace otr::testing
