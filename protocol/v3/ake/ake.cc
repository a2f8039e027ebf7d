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
    : backend_(&backend), our_key_(&our_long_term_key), policy_(policy) {}

bool Ake::Exchange::empty() const {
  return !commitment && !our_commit_message && their_gy.empty() && !keys && !our_reveal_message &&
         !their_commit && !our_y && !our_dh_key_message;
}

const Ake::Exchange& Ake::exchange() const {
  static const Exchange kNothing;
  return x_ ? *x_ : kNothing;
}

void Ake::AdoptExchange(const Ake& other) {
  state_ = other.state_;
  x_ = other.x_;
}

void Ake::Abandon(crypto::Random& random) {
  Context ctx{random, AuthEvent::kAbandon, Version::kV3, 0, 0, nullptr, std::nullopt};
  (void)Run(ctx);  // kForgetExchange cannot fail
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
  Exchange staged = exchange();
  for (AuthAction action : row->actions) {
    if (action == AuthAction::kNone) continue;
    // A failure (a backend error) aborts the row: nothing changed.
    OTR_RETURN_IF_ERROR(Perform(action, ctx, staged, out));
  }
  // An exchange that holds nothing (authstate NONE: none started, or
  // completed, or forgotten) is not kept on the heap.
  if (staged.empty()) {
    x_.reset();
  } else {
    x_.Set(std::move(staged));
  }
  state_ = row->to;
  table::NotifyRow(kAuthMachine, kAuthTable, row, from, ctx.event, state_, this);
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

bool Ake::Holds(AuthGuard guard, Context& ctx) const {
  const Exchange& held = exchange();
  switch (guard) {
    case AuthGuard::kAlways:
      return true;
    case AuthGuard::kVersionNotAllowed:
      return (ctx.version == Version::kV2 && !policy_.allow_v2) ||
             (ctx.version == Version::kV3 && !policy_.allow_v3);
    case AuthGuard::kOurHashedGxHigher: {
      // "comparing the hashed gx ... considered as 32-byte unsigned big-endian values"
      const auto& theirs = std::get<DhCommit>(*ctx.message).hashed_gx;
      return held.commitment &&
             std::memcmp(held.commitment->hashed_gx.data(), theirs.data(), theirs.size()) > 0;
    }
    case AuthGuard::kReflectedDhCommit: {
      const auto& theirs = std::get<DhCommit>(*ctx.message).hashed_gx;
      return held.commitment && held.commitment->hashed_gx.size() == theirs.size() &&
             std::memcmp(held.commitment->hashed_gx.data(), theirs.data(), theirs.size()) == 0;
    }
    case AuthGuard::kSameDhKeyAsStored:
      return std::get<DhKey>(*ctx.message).gy == held.their_gy;
    case AuthGuard::kDhKeyOutOfRange:
      return !crypto::CheckGroupElement(*backend_,
                                        crypto::GetModpGroup(crypto::ModpGroupId::kModp1536),
                                        std::get<DhKey>(*ctx.message).gy)
                  .ok();
    case AuthGuard::kRevealSignatureVerifies: {
      const auto& m = std::get<RevealSignature>(*ctx.message);
      if (!held.their_commit || !held.our_y) return false;
      auto gx = OpenCommitment(*backend_, m.revealed_key, held.their_commit->encrypted_gx,
                               held.their_commit->hashed_gx);
      if (!gx.ok()) return false;
      const crypto::ModpGroup& group = crypto::GetModpGroup(crypto::ModpGroupId::kModp1536);
      auto s = crypto::DhSharedSecret(*backend_, group, held.our_y->secret, *gx);
      if (!s.ok()) return false;
      AkeKeys keys = DeriveAkeKeys(*backend_, *s);
      auto x = VerifySignedPart(*backend_, {keys.c, keys.m1, keys.m2}, *gx, held.our_y->pub,
                                m.encrypted_signature, m.mac);
      if (!x.ok()) return false;
      ctx.verified = Verified{std::move(gx).value(), std::move(x).value(), std::move(keys)};
      return true;
    }
    case AuthGuard::kSignatureVerifies: {
      const auto& m = std::get<Signature>(*ctx.message);
      if (!held.keys || !held.commitment) return false;
      auto x = VerifySignedPart(
          *backend_, {held.keys->c_prime, held.keys->m1_prime, held.keys->m2_prime}, held.their_gy,
          held.commitment->x.pub, m.encrypted_signature, m.mac);
      if (!x.ok()) return false;
      ctx.verified = Verified{held.their_gy, std::move(x).value(), std::nullopt};
      return true;
    }
    case AuthGuard::kCount:
      break;
  }
  return false;
}

Status Ake::Perform(AuthAction action, Context& ctx, Exchange& x, AkeOutput& out) const {
  switch (action) {
    case AuthAction::kNone:
    case AuthAction::kIgnore:
    case AuthAction::kCount:
      return Status::Ok();
    case AuthAction::kSendDhCommit: {
      // A fresh AKE: forget any half-finished one.
      x.their_commit.reset();
      x.our_y.reset();
      x.our_dh_key_message.reset();
      x.keys.reset();
      x.our_reveal_message.reset();
      OTR_ASSIGN_OR_RETURN(x.commitment, MakeCommitment(*backend_, ctx.random));
      x.our_commit_message =
          DhCommit{OutHeader(ctx), x.commitment->encrypted_gx, x.commitment->hashed_gx};
      out.to_send.push_back(*x.our_commit_message);
      return Status::Ok();
    }
    case AuthAction::kResendDhCommit:
      if (x.our_commit_message) out.to_send.push_back(*x.our_commit_message);
      return Status::Ok();
    case AuthAction::kForgetOurDhCommit:
      x.commitment.reset();
      x.our_commit_message.reset();
      return Status::Ok();
    case AuthAction::kStoreDhCommit:
      x.their_commit = std::get<DhCommit>(*ctx.message);
      return Status::Ok();
    case AuthAction::kSendDhKey: {
      OTR_ASSIGN_OR_RETURN(
          x.our_y,
          crypto::GenerateDhKeyPair(*backend_, crypto::GetModpGroup(crypto::ModpGroupId::kModp1536),
                                    ctx.random));
      x.our_dh_key_message = DhKey{OutHeader(ctx), x.our_y->pub.ToBytes()};
      out.to_send.push_back(*x.our_dh_key_message);
      return Status::Ok();
    }
    case AuthAction::kResendDhKey:
      if (x.our_dh_key_message) {
        DhKey resend = *x.our_dh_key_message;
        resend.header = OutHeader(ctx);  // the new commit may come from another instance
        out.to_send.push_back(resend);
      }
      return Status::Ok();
    case AuthAction::kStoreDhKey: {
      x.their_gy = std::get<DhKey>(*ctx.message).gy;
      OTR_ASSIGN_OR_RETURN(
          crypto::SecretBytes s,
          crypto::DhSharedSecret(*backend_, crypto::GetModpGroup(crypto::ModpGroupId::kModp1536),
                                 x.commitment->x.secret, x.their_gy));
      x.keys = DeriveAkeKeys(*backend_, s);
      return Status::Ok();
    }
    case AuthAction::kSendRevealSignature: {
      OTR_ASSIGN_OR_RETURN(
          SignedPart part,
          MakeSignedPart(*backend_, ctx.random, {x.keys->c, x.keys->m1, x.keys->m2},
                         x.commitment->x.pub, x.their_gy, *our_key_, kAkeKeyId));
      RevealSignature m;
      m.header = OutHeader(ctx);
      std::copy_n(x.commitment->r.data(), m.revealed_key.size(), m.revealed_key.begin());
      m.encrypted_signature = std::move(part.encrypted_signature);
      m.mac = part.mac;
      x.our_reveal_message = m;
      out.to_send.push_back(std::move(m));
      return Status::Ok();
    }
    case AuthAction::kResendRevealSignature:
      if (x.our_reveal_message) out.to_send.push_back(*x.our_reveal_message);
      return Status::Ok();
    case AuthAction::kSendSignature: {
      const AkeKeys& keys = *ctx.verified->keys;
      OTR_ASSIGN_OR_RETURN(
          SignedPart part,
          MakeSignedPart(*backend_, ctx.random, {keys.c_prime, keys.m1_prime, keys.m2_prime},
                         x.our_y->pub, ctx.verified->their_dh, *our_key_, kAkeKeyId));
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
        result.our_dh = std::move(*x.our_y);
        result.ssid = ctx.verified->keys->ssid;
        result.we_sent_reveal_signature = false;
      } else {  // we are Bob
        result.our_dh = std::move(x.commitment->x);
        result.ssid = x.keys->ssid;
        result.we_sent_reveal_signature = true;
      }
      out.authenticated = std::move(result);
      // The AKE is over: forget everything it held (authstate NONE).
      x = Exchange{};
      return Status::Ok();
    }
    case AuthAction::kRefuseV1:
      out.refused_v1 = true;
      return Status::Ok();
    case AuthAction::kForgetExchange:
      x = Exchange{};
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace otr::v3
