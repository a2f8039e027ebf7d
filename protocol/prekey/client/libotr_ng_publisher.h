// Publishing to a prekey server in libotr-ng's variant (issue 20,
// docs/libotr-ng-deviations.md rows 21-24, decision 0041): the publisher's
// side of otr-v4-prekey-server.md "Key Exchange" (Alice's side) and
// "Publishing Prekey Values" as libotr-ng's prekey client runs them
// (prekey_client_dake.c, prekey_manager.c), for an account under the
// `libotr-ng` profile whose Sessions must be found by libotr-ng peers:
//   - DAKE-1 carries our Client Profile in libotr-ng's bytes (row 1);
//   - DAKE-2 is read with the composite identity's key type big-endian and
//     libotr-ng's RING-SIG; t hashes those bytes; sigma is verified, and
//     DAKE-3's made, libotr-ng's way over the spec's domain and usage;
//   - SK_ecdh is libotr-ng's ECDH, (i / 4) * S (row 11);
//   - the Prekey Publication carries the profiles in libotr-ng's bytes and
//     its ECDH proofs are over G = 4B with our held scalars, V in 56 bytes
//     (row 24); the DH proof, the MACs, Success and Failure are the spec's.
// A sibling of PrekeyClient rather than a branch inside it (decision 0041):
// it publishes and queries the storage status (whose request and answer are
// the spec's bytes inside libotr-ng's DAKE), it does not retrieve (our
// Session reads libotr-ng's retrieval answer), and the spec-exact client
// stays free of libotr-ng's variant. OfflineMaintenance uses it under the
// libotr-ng profile (decision 0042).
//
// Sans-I/O, one request in flight, the time as an argument. The secrets
// of what is published are the caller's (our Session's PrekeyStore holds
// them before the publication leaves); copies used for the proofs are wiped
// when the request ends.
#ifndef OTR_PROTOCOL_PREKEY_CLIENT_LIBOTR_NG_PUBLISHER_H_
#define OTR_PROTOCOL_PREKEY_CLIENT_LIBOTR_NG_PUBLISHER_H_

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "crypto/backend.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "protocol/prekey/client/client.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/v4/crypto/keys.h"

namespace otr::prekey {

// One publication, its profiles already in libotr-ng's bytes
// (v4::libotr_ng::EncodeAndSignClientProfile,
// libotr_ng::EncodeAndSignPrekeyProfile).
struct LibotrNgPublicationRequest {
  bool client_profile = false;               // the publisher's, as in DAKE-1
  std::optional<Bytes> prekey_profile;       // libotr-ng's bytes
  crypto::SecretBytes shared_prekey_secret;  // d of its D (the spec's scalar), with prekey_profile
  std::vector<PrekeySecrets> prekeys;        // the Prekey Messages (y, b), at most 255
  bool empty() const { return !client_profile && !prekey_profile && prekeys.empty(); }
};

class LibotrNgPublisher {
 public:
  // `client_profile` is our Client Profile in libotr-ng's bytes, signed
  // under `long_term` (its H_a); config's identity, server identity,
  // fingerprint, instance tag, timeout and fragment size are used.
  LibotrNgPublisher(const crypto::Backend& backend, crypto::Random& random, ClientConfig config,
                    v4::Ed448KeyPair long_term, Bytes client_profile);
  ~LibotrNgPublisher();
  LibotrNgPublisher(const LibotrNgPublisher&) = delete;
  LibotrNgPublisher& operator=(const LibotrNgPublisher&) = delete;

  // Sends DAKE-1. kBadState while a publication is in flight;
  // kInvalidPolicy for an empty request; kTooLarge above 255 prekey
  // messages; kInvalidKey for a prekey profile without its secret.
  Result<ClientOutput> Publish(LibotrNgPublicationRequest request, int64_t now);
  // Sends DAKE-1 of a storage query: its DAKE-3 carries the spec's Storage
  // Information Request, answered with the spec's Storage Status
  // (kStorageStatus; libotr-ng's are the spec's: a refuted row).
  // kBadState while a request is in flight.
  Result<ClientOutput> QueryStorage(int64_t now);
  // A message from the server (whole or a fragment): DAKE-2 (answered with DAKE-3 and the
  // publication), then Success (kPublished) or Failure
  // (kPublicationFailed); kRequestFailed when a DAKE-2 does not verify;
  // kIgnored for the rest (one that does not decode included).
  ClientOutput Receive(std::string_view text, int64_t now);
  // Drops a publication that has timed out (kRequestFailed).
  ClientOutput Expire(int64_t now);
  bool busy() const { return request_ != nullptr; }

 private:
  struct Request;

  Result<ClientOutput> StartDake(std::unique_ptr<Request> request, int64_t now);
  void OnDake2(ByteView bytes, ClientOutput& out);
  void OnStorageStatus(const StorageStatus& m, ClientOutput& out);
  void OnAnswer(std::string_view text, ClientOutput& out);
  Result<Bytes> BuildPublication(const Request& r, const crypto::SecretBytes& sk);
  void SendToServer(const Bytes& message, ClientOutput& out);
  void Finish(ClientOutput& out, ClientEvent event);

  const crypto::Backend& backend_;
  crypto::Random& random_;
  ClientConfig config_;
  v4::Ed448KeyPair long_term_;
  Bytes client_profile_;
  std::unique_ptr<Request> request_;
  FragmentReassembler reassembler_;
};

}  // namespace otr::prekey

#endif  // OTR_PROTOCOL_PREKEY_CLIENT_LIBOTR_NG_PUBLISHER_H_
