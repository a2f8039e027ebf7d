// A libotr-ng user (one otrng_client_s with its own global state) driven
// through libotr-ng's client API in this process, as the OTRv4 peer of
// interoperability tests (issue 20): strings in, strings out, with what its
// callbacks report recorded. The counterpart of LibotrPeer (libotr 4.1.1).
//
// libotr-ng reads the wall clock itself (time(NULL) in key_management.c,
// client.c, fragment.c) and has no clock hook, so nothing here is replayable
// byte for byte; session expiry is driven by ageing the conversation's
// `last_generated` (ExpireSession) rather than by waiting.
#ifndef OTR_TESTS_INTEROP_LIBOTR_NG_PEER_H_
#define OTR_TESTS_INTEROP_LIBOTR_NG_PEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace otr::testing {

class LibotrNgPeer {
 public:
  // `account` is this user's name (also its half of the shared session
  // state, otrv4.md "Shared Session State"); `buddy` the other party's.
  // Generates a long-term Ed448 key, a forging key, the Client Profile and
  // the Prekey Profile through libotr-ng. Policy: OTRv4 only, always.
  LibotrNgPeer(std::string account, std::string buddy, uint32_t instance_tag);
  ~LibotrNgPeer();
  LibotrNgPeer(const LibotrNgPeer&) = delete;
  LibotrNgPeer& operator=(const LibotrNgPeer&) = delete;

  // otrng_client_query_message: the Query Message that starts a DAKE.
  std::string Query();
  // otrng_client_identity_message: starts the DAKE with an Identity Message.
  std::string IdentityMessage();
  // What the user types; the transport messages to send (one, or the
  // fragments when `max_size` > 0, otrng_client_send_fragment).
  std::vector<std::string> Send(const std::string& text, int max_size = 0);
  // A transport message from the buddy; what libotr-ng sends back (its reply
  // and anything injected through the inject_message callback). Displayed
  // text is appended to displayed().
  std::vector<std::string> Receive(const std::string& message);

  std::vector<std::string> StartSmp(const std::string& secret, const std::string& question = "");
  // Answers the pending SMP request (after smp_asked()).
  std::vector<std::string> RespondSmp(const std::string& secret);
  std::vector<std::string> AbortSmp();
  // otrng_client_disconnect: TLV 1 and the end of the conversation.
  std::vector<std::string> Disconnect();
  // otrng_send_symkey_message (TLV 7): the message and libotr-ng's key.
  std::vector<std::string> UseSymmetricKey(uint32_t use, const std::string& use_data,
                                           std::string* key);
  // libotr-ng's expiry of this conversation under its teardown policy
  // (otrng_client_expire_session, client.c): the conversation ends and TLV 1
  // is sent. Returns what it sends.
  std::vector<std::string> ExpireSession();
  // Ages the conversation's keys past the expiration time and runs
  // otrng_client_expire_sessions, libotr-ng's periodic expiry: whether it
  // expired (sent anything).
  bool ExpireSessionsExpiresAnAgedSession();

  // The sending chain key libotr-ng will derive its next message's keys
  // from (key_management.c: current->chain_s, 64 bytes), for the tests
  // that check the profile's Data Messages against libotr-ng's. Valid for
  // the second and later messages of a chain (the first turns the ratchet).
  std::string SendingChainKeyForTesting() const;

  // The conversation's SSID (key_management.c, manager->ssid, 8 bytes).
  std::string SsidForTesting() const;
  // The double ratchet's current keys right after the DAKE (key_manager_s:
  // our_ecdh->pub and their_ecdh as POINTs, our_dh->pub and their_dh as
  // minimal big-endian bytes), for the tests of the first ratchet keys.
  struct RatchetKeys {
    std::string our_ecdh, their_ecdh, our_dh, their_dh;
  };
  RatchetKeys RatchetKeysForTesting() const;

  // Its Client Profile as libotr-ng serialises it (otrng_client_profile_serialize).
  std::string ClientProfileBytesForTesting() const;
  // Whether libotr-ng reads `bytes` as a Client Profile and finds it valid
  // for `sender_tag` (otrng_client_profile_deserialize, otrng_client_profile_valid).
  static bool AcceptsClientProfileForTesting(const std::string& bytes, uint32_t sender_tag);

  // --- libotr-ng's prekey client (prekey_manager.h), driven in process ---
  // Sets up its prekey manager: `our_identity` is phi's first string (the
  // bare JID), `server_identity` the prekey server's (its messages are
  // answered only when they come from it).
  void UsePrekeyServer(const std::string& our_identity, const std::string& server_identity);
  // otrng_prekey_request_storage_information: the DAKE-1 to send.
  std::string PrekeyStorageRequest();
  // otrng_prekey_publish: the DAKE-1 to send. The publication (built in
  // its callback) carries its Client Profile and Prekey Profile when asked,
  // and `prekey_messages` new Prekey Messages (otrng_client_build_prekey_messages).
  std::string PrekeyPublish(bool client_profile, bool prekey_profile, int prekey_messages);
  // otrng_prekey_receive of a message from the server: its reply (DAKE-3)
  // or "" when none; `handled` what otrng_prekey_receive returned.
  std::string PrekeyReceive(const std::string& message, bool* handled = nullptr);
  // otrng_prekey_retrieve_prekeys: the Ensemble Query Retrieval to send (no DAKE).
  std::string PrekeyRetrieve(const std::string& identity);
  // When set, the next valid ensembles libotr-ng receives start an offline
  // conversation with the buddy: otrng_send_non_interactive_auth on the
  // first one (otrng.h), inside its prekey_ensembles_received callback
  // (the ensembles are freed after it). TakeOfflineStart returns what it
  // sent (the Non-Interactive-Auth message).
  void StartOfflineOnEnsembles() { start_offline_ = true; }
  std::vector<std::string> TakeOfflineStart();
  void OnEnsembles(void* ensembles, int count);
  // What its prekey callbacks reported.
  struct PrekeyEvents {
    std::vector<int> errors;  // notify_error: OTRNG_PREKEY_CLIENT_*
    int successes = 0;
    int failures = 0;
    std::vector<uint32_t> storage_status;  // stored_prekeys of each
    int low_storage = 0;
    // prekey_ensembles_received: the number of valid ensembles each time
    // (libotr-ng drops those otrng_prekey_ensemble_validate refuses).
    std::vector<int> ensembles;
    int no_prekeys = 0;
  };
  const PrekeyEvents& prekey_events() const { return prekey_events_; }
  PrekeyEvents& mutable_prekey_events() { return prekey_events_; }
  // Its Prekey Profile as libotr-ng serialises it (otrng_prekey_profile_serialize).
  std::string PrekeyProfileBytesForTesting() const;

  bool encrypted() const;
  bool finished() const;
  uint32_t our_instance_tag() const;
  // otrng_client_get_our_fingerprint, hex (its own fingerprint form,
  // docs/libotr-ng-deviations.md #7).
  std::string our_fingerprint_hex() const;
  // The peer's fingerprint as libotr-ng shows it to its user (its
  // fingerprint_seen callback, at the end of a DAKE), hex; empty before.
  const std::string& their_fingerprint_hex() const { return their_fingerprint_hex_; }

  const std::vector<std::string>& displayed() const { return displayed_; }
  int smp_successes() const { return smp_successes_; }
  int smp_failures() const { return smp_failures_; }
  int smp_aborts() const { return smp_aborts_; }
  bool smp_asked() const { return smp_asked_; }
  const std::string& last_smp_question() const { return last_question_; }
  const std::string& received_symkey() const { return received_symkey_; }
  uint32_t received_symkey_use() const { return received_symkey_use_; }
  const std::string& received_symkey_data() const { return received_symkey_data_; }
  // handle_event and display_error_message callbacks, as numbers.
  const std::vector<int>& msg_events() const { return msg_events_; }
  const std::vector<int>& error_events() const { return error_events_; }
  int gone_secure() const { return gone_secure_; }
  int gone_insecure() const { return gone_insecure_; }

  struct State;  // libotr-ng handles (libotr_ng_peer.cc)
  // Called from libotr-ng's callbacks (libotr_ng_peer.cc).
  void OnSmp(int event);
  void OnSmpAsked(const std::string& question);
  void OnSymkey(uint32_t use, const std::string& data, const std::string& key);
  void OnMsgEvent(int event) { msg_events_.push_back(event); }
  void OnErrorEvent(int event) { error_events_.push_back(event); }
  void OnGoneSecure() { ++gone_secure_; }
  void OnGoneInsecure() { ++gone_insecure_; }
  void OnInject(std::string message) { injected_.push_back(std::move(message)); }
  void OnFingerprintSeen(std::string hex) { their_fingerprint_hex_ = std::move(hex); }

 private:
  std::vector<std::string> TakeInjected(std::vector<std::string> out);

  std::unique_ptr<State> state_;
  std::string buddy_;
  std::vector<std::string> displayed_;
  std::vector<std::string> injected_;
  int smp_successes_ = 0;
  int smp_failures_ = 0;
  int smp_aborts_ = 0;
  bool smp_asked_ = false;
  std::string last_question_;
  std::string received_symkey_;
  uint32_t received_symkey_use_ = 0;
  std::string received_symkey_data_;
  std::vector<int> msg_events_;
  std::vector<int> error_events_;
  int gone_secure_ = 0;
  int gone_insecure_ = 0;
  std::string their_fingerprint_hex_;
  PrekeyEvents prekey_events_;
  std::string prekey_server_;
  bool publish_client_profile_ = false;
  bool publish_prekey_profile_ = false;
  bool start_offline_ = false;
  std::vector<std::string> offline_start_;

 public:
  // The prekey callbacks' view (libotr_ng_peer.cc).
  bool publish_client_profile() const { return publish_client_profile_; }
  bool publish_prekey_profile() const { return publish_prekey_profile_; }
};

}  // namespace otr::testing

#endif  // OTR_TESTS_INTEROP_LIBOTR_NG_PEER_H_
