#include "protocol/v3/ake/ake.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "protocol/table/trace.h"

namespace otr::v3 {

struct Ake::Verified {
  Bytes their_dh;  // g^x (Alice) or g^y (Bob)
  SignedKeyId x;
  std::optional<AkeKeys> keys;  // Alice derives the keys while verifying
};

struct Ake::Context {
  crypto::Random& random;
  AuthEvent event;
  Version version;
  wire::InstanceTag our_tag;
  wire::InstanceTag their_tag;
  const Message* message = nullptr;  // null for kStartAke
  std::optional<Verified> verified;
};

Ake::Ake(const crypto::Backend& backend, const crypto::DsaPrivateKey& our_long_term_key,
         AkePolicy policy)
    : backend_(backend), our_key_(our_long_term_key), policy_(policy) {}

void Ake::AdoptExchange(const Ake& other) {
  state_ = other.state_;
  commitment_ = other.commitment_;
  our_commit_message_ = other.our_commit_message_;
  their_gy_ = other.their_gy_;
  keys_ = other.keys_;
  our_reveal_message_ = other.our_reveal_message_;
  their_commit_ = other.their_commit_;
  our_y_ = other.our_y_;
  our_dh_key_message_ = other.our_dh_key_message_;
}

void Ake::Abandon(crypto::Random& random) {
  Context ctx{random, AuthEvent::kAbandon, Version::kV3, 0, 0, nullptr, std::nullopt};
  (void)Run(ctx);  // kForgetExchange cannot fail
}

void Ake::ForgetExchange() {
  commitment_.reset();
  our_commit_message_.reset();
  their_gy_.clear();
  keys_.reset();
  our_reveal_message_.reset();
  their_commit_.reset();
  our_y_.reset();
  our_dh_key_message_.reset();
}

Result<AkeOutput> Ake::Start(crypto::Random& random, Version version, wire::InstanceTag our_tag,
                             wire::InstanceTag their_tag) {
  Context ctx{random, AuthEvent::kStartAke, version, our_tag, their_tag, nullptr, std::nullopt};
  return Run(ctx);
}

Result<AkeOutput> Ake::Receive(crypto::Random& random, const Message& message,
                               wire::InstanceTag our_tag) {
  const auto event = std::visit(
      [](const auto& m) -> std::optional<AuthEvent> {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, DhCommit>) return AuthEvent::kDhCommit;
        if constexpr (std::is_same_v<T, DhKey>) return AuthEvent::kDhKey;
        if constexpr (std::is_same_v<T, RevealSignature>) return AuthEvent::kRevealSignature;
        if constexpr (std::is_same_v<T, Signature>) return AuthEvent::kSignature;
        if constexpr (std::is_same_v<T, V1Message>) return AuthEvent::kV1KeyExchange;
        return std::nullopt;
      },
      message);
  if (!event)
    return MakeError(ErrorCode::kUnknownType, "Ake: a Data Message is not an AKE message");
  Header header;
  std::visit(
      [&](const auto& m) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(m)>, V1Message>) header = m.header;
      },
      message);
  Context ctx{random,   *event,      header.version, our_tag, header.sender_instance,
              &message, std::nullopt};
  return Run(ctx);
}

Result<AkeOutput> Ake::Run(Context& ctx) {
  const AuthState from = state_;
  const AuthRow* row = table::Select(kAuthTable, state_, ctx.event,
                                     [&](AuthGuard guard) { return Holds(guard, ctx); });
  // IsTotal (static_assert in auth_table.h) guarantees a row.
  AkeOutput out;
  out.row = row;
  for (AuthAction action : row->actions) {
    if (action == AuthAction::kNone) continue;
    OTR_RETURN_IF_ERROR(Perform(action, ctx, out));
  }
  state_ = row->to;
  table::NotifyRow(table::Machine::kAuth, kAuthTable, row, from, ctx.event, state_, this);
  return out;
}

Header Ake::OutHeader(const Context& ctx) const {
  Header h;
  h.version = ctx.version;
  if (ctx.version == Version::kV3) {
    h.sender_instance = ctx.our_tag;
    h.receiver_instance = ctx.their_tag;
  }
  return h;
}

bool Ake::Holds(AuthGuard guard, Context& ctx) {
  switch (guard) {
    case AuthGuard::kAlways:
      return true;
    case AuthGuard::kVersionNotAllowed:
      return (ctx.version == Version::kV2 && !policy_.allow_v2) ||
             (ctx.version == Version::kV3 && !policy_.allow_v3);
    case AuthGuard::kOurHashedGxHigher: {
      // "comparing the hashed gx ... considered as 32-byte unsigned big-endian values"
      const auto& theirs = std::get<DhCommit>(*ctx.message).hashed_gx;
      return commitment_ &&
             std::memcmp(commitment_->hashed_gx.data(), theirs.data(), theirs.size()) > 0;
    }
    case AuthGuard::kSameDhKeyAsStored:
      return std::get<DhKey>(*ctx.message).gy == their_gy_;
    case AuthGuard::kDhKeyOutOfRange:
      return !crypto::CheckGroupElement(backend_,
                                        crypto::GetModpGroup(crypto::ModpGroupId::kModp1536),
                                        std::get<DhKey>(*ctx.message).gy)
                  .ok();
    case AuthGuard::kRevealSignatureVerifies: {
      const auto& m = std::get<RevealSignature>(*ctx.message);
      if (!their_commit_ || !our_y_) return false;
      auto gx = OpenCommitment(backend_, m.revealed_key, their_commit_->encrypted_gx,
                               their_commit_->hashed_gx);
      if (!gx.ok()) return false;
      const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
      auto s = crypto::DhSharedSecret(backend_, group, our_y_->secret, *gx);
      if (!s.ok()) return false;
      AkeKeys keys = DeriveAkeKeys(backend_, *s);
      auto x = VerifySignedPart(backend_, {keys.c, keys.m1, keys.m2}, *gx, our_y_->pub,
                                m.encrypted_signature, m.mac);
      if (!x.ok()) return false;
      ctx.verified = Verified{std::move(gx).value(), std::move(x).value(), std::move(keys)};
      return true;
    }
    case AuthGuard::kSignatureVerifies: {
      const auto& m = std::get<Signature>(*ctx.message);
      if (!keys_ || !commitment_) return false;
      auto x = VerifySignedPart(backend_, {keys_->c_prime, keys_->m1_prime, keys_->m2_prime},
                                their_gy_, commitment_->x.pub, m.encrypted_signature, m.mac);
      if (!x.ok()) return false;
      ctx.verified = Verified{their_gy_, std::move(x).value(), std::nullopt};
      return true;
    }
    case AuthGuard::kCount:
      break;
  }
  return false;
}

Status Ake::Perform(AuthAction action, Context& ctx, AkeOutput& out) {
  switch (action) {
    case AuthAction::kNone:
    case AuthAction::kIgnore:
    case AuthAction::kCount:
      return Status::Ok();
    case AuthAction::kSendDhCommit: {
      // A fresh AKE: forget any half-finished one.
      their_commit_.reset();
      our_y_.reset();
      our_dh_key_message_.reset();
      keys_.reset();
      our_reveal_message_.reset();
      OTR_ASSIGN_OR_RETURN(commitment_, MakeCommitment(backend_, ctx.random));
      our_commit_message_ =
          DhCommit{OutHeader(ctx), commitment_->encrypted_gx, commitment_->hashed_gx};
      out.to_send.push_back(*our_commit_message_);
      return Status::Ok();
    }
    case AuthAction::kResendDhCommit:
      if (our_commit_message_) out.to_send.push_back(*our_commit_message_);
      return Status::Ok();
    case AuthAction::kForgetOurDhCommit:
      commitment_.reset();
      our_commit_message_.reset();
      return Status::Ok();
    case AuthAction::kStoreDhCommit:
      their_commit_ = std::get<DhCommit>(*ctx.message);
      return Status::Ok();
    case AuthAction::kSendDhKey: {
      OTR_ASSIGN_OR_RETURN(
          our_y_, crypto::GenerateDhKeyPair(
                      backend_, crypto::GetModpGroup(crypto::ModpGroupId::kModp1536), ctx.random));
      our_dh_key_message_ = DhKey{OutHeader(ctx), our_y_->pub};
      out.to_send.push_back(*our_dh_key_message_);
      return Status::Ok();
    }
    case AuthAction::kResendDhKey:
      if (our_dh_key_message_) {
        DhKey resend = *our_dh_key_message_;
        resend.header = OutHeader(ctx);  // the new commit may come from another instance
        out.to_send.push_back(resend);
      }
      return Status::Ok();
    case AuthAction::kStoreDhKey: {
      their_gy_ = std::get<DhKey>(*ctx.message).gy;
      OTR_ASSIGN_OR_RETURN(
          crypto::SecretBytes s,
          crypto::DhSharedSecret(backend_, crypto::GetModpGroup(crypto::ModpGroupId::kModp1536),
                                 commitment_->x.secret, their_gy_));
      keys_ = DeriveAkeKeys(backend_, s);
      return Status::Ok();
    }
    case AuthAction::kSendRevealSignature: {
      OTR_ASSIGN_OR_RETURN(SignedPart part,
                           MakeSignedPart(backend_, ctx.random, {keys_->c, keys_->m1, keys_->m2},
                                          commitment_->x.pub, their_gy_, our_key_, kAkeKeyId));
      RevealSignature m;
      m.header = OutHeader(ctx);
      std::copy_n(commitment_->r.data(), m.revealed_key.size(), m.revealed_key.begin());
      m.encrypted_signature = std::move(part.encrypted_signature);
      m.mac = part.mac;
      our_reveal_message_ = m;
      out.to_send.push_back(std::move(m));
      return Status::Ok();
    }
    case AuthAction::kResendRevealSignature:
      if (our_reveal_message_) out.to_send.push_back(*our_reveal_message_);
      return Status::Ok();
    case AuthAction::kSendSignature: {
      const AkeKeys& keys = *ctx.verified->keys;
      OTR_ASSIGN_OR_RETURN(
          SignedPart part,
          MakeSignedPart(backend_, ctx.random, {keys.c_prime, keys.m1_prime, keys.m2_prime},
                         our_y_->pub, ctx.verified->their_dh, our_key_, kAkeKeyId));
      out.to_send.push_back(
          Signature{OutHeader(ctx), std::move(part.encrypted_signature), part.mac});
      return Status::Ok();
    }
    case AuthAction::kAuthenticated: {
      AkeResult result;
      result.version = ctx.version;
      result.their_dh = ctx.verified->their_dh;
      result.their_keyid = ctx.verified->x.keyid;
      result.their_long_term_key = ctx.verified->x.pub;
      if (ctx.verified->keys) {  // we are Alice: we received the Reveal Signature
        result.our_dh = std::move(*our_y_);
        result.ssid = ctx.verified->keys->ssid;
        result.we_sent_reveal_signature = false;
      } else {  // we are Bob
        result.our_dh = std::move(commitment_->x);
        result.ssid = keys_->ssid;
        result.we_sent_reveal_signature = true;
      }
      out.authenticated = std::move(result);
      // The AKE is over: forget everything it held (authstate NONE).
      ForgetExchange();
      return Status::Ok();
    }
    case AuthAction::kRefuseV1:
      out.refused_v1 = true;
      return Status::Ok();
    case AuthAction::kForgetExchange:
      ForgetExchange();
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace otr::v3
