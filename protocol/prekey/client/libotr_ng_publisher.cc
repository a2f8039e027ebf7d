// otr-v4-prekey-server.md, "Key Exchange" (Alice), "DAKE-1 Message",
// "DAKE-2 Message" (To verify), "DAKE-3 Message", "Prekey Publication
// Message", "Proofs", in libotr-ng's variant (libotr_ng_publisher.h has the
// list of differences).
#include "protocol/prekey/client/libotr_ng_publisher.h"

#include <string>
#include <utility>

#include "protocol/prekey/common/dake_crypto.h"
#include "protocol/prekey/common/libotr_ng.h"
#include "protocol/prekey/common/proofs.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/v4/libotr_ng/curve.h"
#include "protocol/v4/libotr_ng/ring_signature.h"
#include "protocol/wire/base64.h"

namespace otr::prekey {

using crypto::SecretBytes;

struct LibotrNgPublisher::Request {
  enum class Kind : uint8_t { kPublication, kStorageQuery } kind = Kind::kPublication;
  enum class Stage : uint8_t { kDake1Sent, kDake3Sent } stage = Stage::kDake1Sent;
  int64_t started = 0;
  v4::EcdhKeyPair ephemeral;  // i, I until DAKE-2
  v4::Point i{};
  SecretBytes prekey_mac_key;  // from DAKE-2 until the answer
  LibotrNgPublicationRequest what;
};

LibotrNgPublisher::LibotrNgPublisher(const crypto::Backend& backend, crypto::Random& random,
                                     ClientConfig config, v4::Ed448KeyPair long_term,
                                     Bytes client_profile)
    : backend_(backend),
      random_(random),
      config_(std::move(config)),
      long_term_(std::move(long_term)),
      client_profile_(std::move(client_profile)),
      reassembler_(config_.reassembly) {}

LibotrNgPublisher::~LibotrNgPublisher() = default;

void LibotrNgPublisher::SendToServer(const Bytes& message, ClientOutput& out) {
  // The spec's transport: base64 and ".", fragmented above max_message_size.
  std::string text = wire::EncodeBase64(message) + ".";
  if (config_.max_message_size != 0 && text.size() > config_.max_message_size) {
    uint32_t identifier = 0;
    random_.Fill(MutableByteView(reinterpret_cast<uint8_t*>(&identifier), sizeof identifier));
    auto pieces = Fragment(text, config_.max_message_size, identifier, config_.instance_tag, 0);
    if (pieces.ok()) {
      for (auto& p : *pieces) out.to_server.push_back(std::move(p));
      return;
    }
  }
  out.to_server.push_back(std::move(text));
}

void LibotrNgPublisher::Finish(ClientOutput& out, ClientEvent event) {
  request_.reset();  // i, prekey_mac_k and the copies of y, b, d are wiped
  out.events.push_back(std::move(event));
}

Result<ClientOutput> LibotrNgPublisher::Publish(LibotrNgPublicationRequest what, int64_t now) {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  if (what.empty()) return MakeError(ErrorCode::kInvalidPolicy, "nothing to publish");
  if (what.prekeys.size() > kMaxPrekeyMessagesPerPublication) {
    return MakeError(ErrorCode::kTooLarge, "at most 255 prekey messages per publication");
  }
  if (what.prekey_profile && what.shared_prekey_secret.empty()) {
    return MakeError(ErrorCode::kInvalidKey, "a Prekey Profile without its shared prekey secret");
  }
  auto request = std::make_unique<Request>();
  request->what = std::move(what);
  return StartDake(std::move(request), now);
}

Result<ClientOutput> LibotrNgPublisher::QueryStorage(int64_t now) {
  if (busy()) return MakeError(ErrorCode::kBadState, "a prekey request is in flight");
  auto request = std::make_unique<Request>();
  request->kind = Request::Kind::kStorageQuery;
  return StartDake(std::move(request), now);
}

Result<ClientOutput> LibotrNgPublisher::StartDake(std::unique_ptr<Request> request, int64_t now) {
  request->started = now;
  // "DAKE-1 Message": (i, I), our instance tag, our Client Profile (in
  // libotr-ng's bytes: otrng_prekey_dake1_message_serialize).
  OTR_ASSIGN_OR_RETURN(request->ephemeral, v4::GenerateEcdh(backend_, random_));
  request->i = request->ephemeral.pub_encoded();
  libotr_ng::Dake1 m;
  m.sender_instance_tag = config_.instance_tag;
  m.client_profile = client_profile_;
  m.i = request->i;
  ClientOutput out;
  SendToServer(libotr_ng::EncodeDake1(m), out);
  request_ = std::move(request);
  return out;
}

ClientOutput LibotrNgPublisher::Expire(int64_t now) {
  ClientOutput out;
  reassembler_.Expire(now);
  if (request_ && now - request_->started >= config_.request_timeout_seconds) {
    Finish(out,
           MakeClientEvent(ClientEventKind::kRequestFailed,
                           MakeError(ErrorCode::kBadState, "the prekey server did not answer")));
  }
  return out;
}

ClientOutput LibotrNgPublisher::Receive(std::string_view text_in, int64_t now) {
  ClientOutput out = Expire(now);
  // "Fragmentation of some Messages": the server may cut its DAKE-2.
  std::string whole;
  const auto maybe_text =
      ReassembleFromServer(reassembler_, text_in, config_.instance_tag, now, whole, out);
  if (!maybe_text) return out;
  const std::string_view text = *maybe_text;
  if (!request_) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                         MakeError(ErrorCode::kBadState, "no request in flight")));
    return out;
  }
  if (text.empty() || text.back() != '.' || text.size() > kMaxEncodedMessageSize) {
    out.events.push_back(MakeClientEvent(
        ClientEventKind::kIgnored, MakeError(ErrorCode::kInvalidEncoding, "not a server message")));
    return out;
  }
  auto bytes = wire::DecodeBase64(text.substr(0, text.size() - 1));
  if (!bytes.ok() || bytes->size() < 3) {
    out.events.push_back(MakeClientEvent(
        ClientEventKind::kIgnored, MakeError(ErrorCode::kInvalidEncoding, "not a server message")));
    return out;
  }
  if ((*bytes)[2] == static_cast<uint8_t>(MessageType::kDake2)) {
    // "Receiving a DAKE-2 message": only in IN_DAKE; otherwise ignored.
    if (request_->stage != Request::Stage::kDake1Sent) {
      out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                           MakeError(ErrorCode::kBadState, "DAKE-2 not awaited")));
      return out;
    }
    OnDake2(*bytes, out);
    return out;
  }
  OnAnswer(text, out);
  return out;
}

void LibotrNgPublisher::OnDake2(ByteView bytes, ClientOutput& out) {
  Request& r = *request_;
  auto fail = [&](Error e) { Finish(out, MakeClientEvent(ClientEventKind::kRequestFailed, e)); };
  // A DAKE-2 that does not decode is ignored, as PrekeyClient ignores what
  // it cannot decode (anyone on the path can send bytes).
  auto m = libotr_ng::DecodeDake2(backend_, bytes);
  if (!m.ok()) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored, m.error()));
    return;
  }
  // "Checks that the receiver instance tag from the message matches their
  // instance tag. If it is not, rejects the message".
  if (m->receiver_instance_tag != config_.instance_tag) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored,
                        MakeError(ErrorCode::kUnknownInstance, "DAKE-2 for another instance")));
    return;
  }
  // "Validate the Prekey Server Composite Identity".
  if (m->server_identity.identity != ToBytes(config_.server_identity)) {
    return fail(MakeError(ErrorCode::kInvalidKey, "DAKE-2 from another prekey server"));
  }
  auto h_s = backend_.Ed448Decode(m->server_identity.public_key);
  if (!h_s.ok()) return fail(h_s.error());
  if (config_.server_fingerprint &&
      v4::ComputePrekeyServerFingerprint(backend_, *h_s) != *config_.server_fingerprint) {
    return fail(MakeError(ErrorCode::kInvalidKey, "prekey server fingerprint differs"));
  }
  // "Validates that the received ECDH ephemeral public key S is on curve".
  auto s = backend_.Ed448Decode(m->s);
  if (!s.ok()) return fail(s.error());
  // "Verify the sigma: RVrf({H_a, H_s, I}, sigma, t)", t over libotr-ng's
  // bytes of our Client Profile and of the composite identity, the sigma
  // libotr-ng's (prekey_client_dake.c; rows 21-23).
  const Bytes composite = libotr_ng::CompositeIdentityBytes(m->server_identity);
  const Bytes phi = ServerDakePhi(config_.identity, config_.server_identity);
  const Bytes t2 =
      ServerDakeT(backend_, DakeTranscript::kDake2, client_profile_, composite, r.i, m->s, phi);
  const Status v = v4::libotr_ng::RVrf(backend_, v4::Ring{long_term_.pub, *h_s, r.ephemeral.pub()},
                                       m->sigma, t2, v4::libotr_ng::kLibotrNgPrekeyServerRing);
  if (!v.ok()) return fail(v.error());
  // DAKE-3: sigma = RSig(H_a, sk_ha, {H_a, H_s, S}, t).
  const Bytes t3 =
      ServerDakeT(backend_, DakeTranscript::kDake3, client_profile_, composite, r.i, m->s, phi);
  auto sigma = v4::libotr_ng::RSig(backend_, long_term_.secret, v4::Ring{long_term_.pub, *h_s, *s},
                                   t3, random_, v4::libotr_ng::kLibotrNgPrekeyServerRing);
  if (!sigma.ok()) return fail(sigma.error());
  // "SK_ecdh = ECDH(i, S)" the libotr-ng way ((i / 4) * S, row 11), "SK =
  // KDF(usage_SK, SK_ecdh, 64)", "Securely erases i"; "prekey_mac_k =
  // KDF(usage_preMAC_key, SK, 64)".
  auto sk = libotr_ng::SharedSecret(backend_, r.ephemeral.secret(), *s);
  r.ephemeral = v4::EcdhKeyPair();  // erases i
  if (!sk.ok()) return fail(sk.error());
  r.prekey_mac_key = PrekeyMacKey(backend_, *sk);
  libotr_ng::Dake3 d3;
  d3.sender_instance_tag = config_.instance_tag;
  d3.sigma = *sigma;
  if (r.kind == Request::Kind::kPublication) {
    auto built = BuildPublication(r, *sk);
    if (!built.ok()) return fail(built.error());
    d3.message = std::move(*built);
  } else {
    // "Storage Information Request Message", the spec's bytes and MAC in
    // libotr-ng too (prekey_manager.c,
    // dake3_message_append_storage_information_request: refuted row).
    StorageInformationRequest q;
    q.storage_information_mac = StorageInformationMac(backend_, r.prekey_mac_key);
    d3.message = EncodeAttachedMessage(q);
  }
  r.stage = Request::Stage::kDake3Sent;
  SendToServer(libotr_ng::EncodeDake3(d3), out);
}

Result<Bytes> LibotrNgPublisher::BuildPublication(const Request& r, const SecretBytes& sk) {
  // "m = KDF(usage_proof_context, SK, 64)".
  const SecretBytes context = ProofContext(backend_, sk);
  const ByteView m = context.view();
  // libotr-ng's proofs over G = 4B hold its scalars: y / 4 for Y = y * B
  // (prekey_proofs.c; row 24).
  const crypto::Ed448Point g = v4::libotr_ng::Generator(backend_);
  libotr_ng::Publication pub;
  for (const auto& p : r.what.prekeys) pub.prekey_messages.push_back(p.message);
  if (r.what.client_profile) pub.client_profile = client_profile_;
  pub.prekey_profile = r.what.prekey_profile;
  if (!r.what.prekeys.empty()) {
    std::vector<SecretBytes> ys, bs;
    std::vector<crypto::Ed448Point> y_pubs;
    std::vector<Bytes> b_pubs;
    for (const auto& p : r.what.prekeys) {
      ys.push_back(v4::libotr_ng::HeldScalar(backend_, p.y));
      bs.push_back(p.b);
      OTR_ASSIGN_OR_RETURN(auto y, backend_.Ed448Decode(p.message.y));
      y_pubs.push_back(y);
      b_pubs.push_back(p.message.b.ToBytes());
    }
    PrekeyMessageProofs proofs;
    OTR_ASSIGN_OR_RETURN(proofs.ecdh, GenerateEcdhProof(backend_, random_, ys, y_pubs, m,
                                                        v4::PrekeyUsage::kProofMessageEcdh, &g));
    OTR_ASSIGN_OR_RETURN(proofs.dh, GenerateDhProof(backend_, random_, bs, b_pubs, m));
    pub.prekey_message_proofs = std::move(proofs);
  }
  if (r.what.prekey_profile) {
    OTR_ASSIGN_OR_RETURN(
        const v4::PrekeyProfile profile,
        libotr_ng::DecodeAndVerifyPrekeyProfile(backend_, *r.what.prekey_profile,
                                                backend_.Ed448Encode(long_term_.pub)));
    OTR_ASSIGN_OR_RETURN(auto d, backend_.Ed448Decode(profile.shared_prekey));
    OTR_ASSIGN_OR_RETURN(
        pub.prekey_profile_proof,
        GenerateEcdhProof(backend_, random_,
                          {v4::libotr_ng::HeldScalar(backend_, r.what.shared_prekey_secret)}, {d},
                          m, v4::PrekeyUsage::kProofSharedEcdh, &g));
  }
  pub.prekey_mac =
      PrekeyPublicationMac(backend_, r.prekey_mac_key, libotr_ng::PublicationMacParts(pub));
  return libotr_ng::EncodePublication(pub);
}

void LibotrNgPublisher::OnAnswer(std::string_view text, ClientOutput& out) {
  // Success, Failure and Storage Status are the spec's (their MACs too:
  // prekey_client_messages.c, otrng_prekey_storage_status_message_valid).
  auto decoded = DecodeFromTransport(text);
  if (!decoded.ok()) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored, decoded.error()));
    return;
  }
  Request& r = *request_;
  if (const auto* status = std::get_if<StorageStatus>(&*decoded)) {
    return OnStorageStatus(*status, out);
  }
  const auto* success = std::get_if<Success>(&*decoded);
  const auto* failure = std::get_if<Failure>(&*decoded);
  if ((success == nullptr && failure == nullptr) || r.stage != Request::Stage::kDake3Sent) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                         MakeError(ErrorCode::kBadState, "answer not awaited")));
    return;
  }
  const wire::InstanceTag to =
      success != nullptr ? success->receiver_instance_tag : failure->receiver_instance_tag;
  if (to != config_.instance_tag) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored,
                        MakeError(ErrorCode::kUnknownInstance, "answer for another instance")));
    return;
  }
  // "If it is not, ignores the message."
  const bool mac_ok =
      success != nullptr
          ? MacEqual(SuccessMac(backend_, r.prekey_mac_key, *success), success->success_mac)
          : MacEqual(FailureMac(backend_, r.prekey_mac_key, *failure), failure->failure_mac);
  if (!mac_ok) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored, MakeError(ErrorCode::kBadMac, "answer MAC")));
    return;
  }
  if (failure != nullptr) {
    return Finish(out,
                  MakeClientEvent(ClientEventKind::kPublicationFailed,
                                  MakeError(ErrorCode::kBadState, "the prekey server refused")));
  }
  if (r.kind != Request::Kind::kPublication) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                         MakeError(ErrorCode::kBadState, "success not awaited")));
    return;
  }
  ClientEvent e = MakeClientEvent(ClientEventKind::kPublished);
  e.count = static_cast<uint32_t>(r.what.prekeys.size());
  Finish(out, std::move(e));
}

// "Storage Status Message": for our storage query, to our instance tag,
// its Status MAC verified ("Abort if it is not": ignored, as PrekeyClient).
void LibotrNgPublisher::OnStorageStatus(const StorageStatus& m, ClientOutput& out) {
  Request& r = *request_;
  if (r.kind != Request::Kind::kStorageQuery || r.stage != Request::Stage::kDake3Sent) {
    out.events.push_back(MakeClientEvent(ClientEventKind::kIgnored,
                                         MakeError(ErrorCode::kBadState, "status not asked for")));
    return;
  }
  if (m.receiver_instance_tag != config_.instance_tag) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored,
                        MakeError(ErrorCode::kUnknownInstance, "status for another instance")));
    return;
  }
  if (!MacEqual(StorageStatusMac(backend_, r.prekey_mac_key, m), m.status_mac)) {
    out.events.push_back(
        MakeClientEvent(ClientEventKind::kIgnored, MakeError(ErrorCode::kBadMac, "Status MAC")));
    return;
  }
  ClientEvent e = MakeClientEvent(ClientEventKind::kStorageStatus);
  e.count = m.stored_prekey_messages;
  Finish(out, std::move(e));
}

}  // namespace otr::prekey
