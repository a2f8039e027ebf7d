// The v2/v3 authentication state machine (authstate) as a transition table.
// otr v3 spec, "The protocol state machine" > "Authentication state" and
// "State transitions" (Receiving a D-H Commit / D-H Key / Reveal Signature /
// Signature Message), and "Authenticated Key Exchange (AKE)".
#ifndef OTR_PROTOCOL_V3_STATE_AUTH_TABLE_H_
#define OTR_PROTOCOL_V3_STATE_AUTH_TABLE_H_

#include <span>

#include "protocol/table/enum.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"

namespace otr::v3 {

#define OTR_V3_AUTH_STATES(X)                           \
  X(kNone, "AUTHSTATE_NONE")                            \
  X(kAwaitingDhKey, "AUTHSTATE_AWAITING_DHKEY")         \
  X(kAwaitingRevealSig, "AUTHSTATE_AWAITING_REVEALSIG") \
  X(kAwaitingSig, "AUTHSTATE_AWAITING_SIG")             \
  X(kV1Setup, "AUTHSTATE_V1_SETUP")
OTR_TABLE_ENUM(AuthState, OTR_V3_AUTH_STATES)

#define OTR_V3_AUTH_EVENTS(X)                               \
  X(kStartAke, "start AKE (query or tag offers a version)") \
  X(kDhCommit, "receive D-H Commit")                        \
  X(kDhKey, "receive D-H Key")                              \
  X(kRevealSignature, "receive Reveal Signature")           \
  X(kSignature, "receive Signature")                        \
  X(kV1KeyExchange, "receive v1 Key Exchange")              \
  X(kAbandon, "the exchange is abandoned (the user ended, or another instance completed it)")
OTR_TABLE_ENUM(AuthEvent, OTR_V3_AUTH_EVENTS)

#define OTR_V3_AUTH_GUARDS(X)                                    \
  X(kAlways, "-")                                                \
  X(kVersionNotAllowed, "message version not allowed by policy") \
  X(kOurHashedGxHigher, "our hashed g^x is the higher")          \
  X(kReflectedDhCommit, "the hashed g^x is our own (reflected)") \
  X(kSameDhKeyAsStored, "same D-H Key as the one stored")        \
  X(kDhKeyOutOfRange, "g^y is not in [2, p-2]")                  \
  X(kRevealSignatureVerifies, "hash, MAC and signature verify")  \
  X(kSignatureVerifies, "MAC and signature verify")
OTR_TABLE_ENUM(AuthGuard, OTR_V3_AUTH_GUARDS)

#define OTR_V3_AUTH_ACTIONS(X)                                      \
  X(kNone, "-")                                                     \
  X(kIgnore, "ignore the message")                                  \
  X(kSendDhCommit, "choose r, x; send D-H Commit")                  \
  X(kResendDhCommit, "resend our D-H Commit")                       \
  X(kForgetOurDhCommit, "forget our g^x and r")                     \
  X(kStoreDhCommit, "store their encrypted and hashed g^x")         \
  X(kSendDhKey, "choose y; send D-H Key")                           \
  X(kResendDhKey, "resend our D-H Key")                             \
  X(kStoreDhKey, "store their g^y; compute s and the AKE keys")     \
  X(kSendRevealSignature, "send Reveal Signature")                  \
  X(kResendRevealSignature, "resend our Reveal Signature")          \
  X(kSendSignature, "send Signature")                               \
  X(kAuthenticated, "AKE done: hand the keys to the message state") \
  X(kRefuseV1, "report that v1 is refused")                         \
  X(kForgetExchange, "forget every value of the exchange (x, y, r, keys)")
OTR_TABLE_ENUM(AuthAction, OTR_V3_AUTH_ACTIONS)

using AuthRow = table::Row<AuthState, AuthEvent, AuthGuard, AuthAction, 3>;
inline constexpr table::Machine kAuthMachine{"v3 authstate"};

namespace auth_table_internal {

using S = AuthState;
using E = AuthEvent;
using G = AuthGuard;
using A = AuthAction;

inline constexpr char kQuery[] = "v3 State transitions: Receiving a Query Message";
inline constexpr char kCommit[] = "v3 State transitions: Receiving a D-H Commit Message";
// Our own D-H Commit coming back (a reflecting server, or v2, which has no
// instance tags to tell): answering it would drop our commitment and run an
// AKE with ourselves.
inline constexpr char kReflected[] = "v3 Receiving a D-H Commit Message: our own, reflected";
inline constexpr char kKey[] = "v3 State transitions: Receiving a D-H Key Message";
inline constexpr char kKeyCheck[] = "v3 AKE: Bob verifies that Alice's g^y is a legal value";
inline constexpr char kReveal[] = "v3 State transitions: Receiving a Reveal Signature Message";
inline constexpr char kSig[] = "v3 State transitions: Receiving a Signature Message";
inline constexpr char kV1[] = "v3 Policies: ALLOW_V1 (v1 is never negotiated here)";
inline constexpr char kAbandonS[] =
    "v3 Key Management (\"securely forget\"): the user ended the conversation, or "
    "(Instance Tags) a D-H Commit sent to every instance was completed by one instance";
inline constexpr char kIgnored[] = "v3 State transitions: \"ignore this message\"";

// One row per line reads like the spec.
// clang-format off
inline constexpr AuthRow kAuthTable[] = {
    // Starting an AKE (whatever the state, a fresh D-H Commit).
    {S::kNone, E::kStartAke, G::kAlways, {A::kSendDhCommit}, S::kAwaitingDhKey, kQuery},
    {S::kAwaitingDhKey, E::kStartAke, G::kAlways, {A::kSendDhCommit}, S::kAwaitingDhKey, kQuery},
    {S::kAwaitingRevealSig, E::kStartAke, G::kAlways, {A::kSendDhCommit}, S::kAwaitingDhKey, kQuery},
    {S::kAwaitingSig, E::kStartAke, G::kAlways, {A::kSendDhCommit}, S::kAwaitingDhKey, kQuery},
    {S::kV1Setup, E::kStartAke, G::kAlways, {A::kSendDhCommit}, S::kAwaitingDhKey, kQuery},

    // D-H Commit.
    {S::kNone, E::kDhCommit, G::kVersionNotAllowed, {A::kIgnore}, S::kNone, kCommit},
    {S::kNone, E::kDhCommit, G::kAlways, {A::kStoreDhCommit, A::kSendDhKey}, S::kAwaitingRevealSig, kCommit},
    {S::kAwaitingDhKey, E::kDhCommit, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingDhKey, kCommit},
    {S::kAwaitingDhKey, E::kDhCommit, G::kReflectedDhCommit, {A::kIgnore}, S::kAwaitingDhKey, kReflected},
    {S::kAwaitingDhKey, E::kDhCommit, G::kOurHashedGxHigher, {A::kResendDhCommit}, S::kAwaitingDhKey, kCommit},
    {S::kAwaitingDhKey, E::kDhCommit, G::kAlways, {A::kForgetOurDhCommit, A::kStoreDhCommit, A::kSendDhKey}, S::kAwaitingRevealSig, kCommit},
    {S::kAwaitingRevealSig, E::kDhCommit, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingRevealSig, kCommit},
    {S::kAwaitingRevealSig, E::kDhCommit, G::kAlways, {A::kStoreDhCommit, A::kResendDhKey}, S::kAwaitingRevealSig, kCommit},
    {S::kAwaitingSig, E::kDhCommit, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingSig, kCommit},
    {S::kAwaitingSig, E::kDhCommit, G::kReflectedDhCommit, {A::kIgnore}, S::kAwaitingSig, kReflected},
    {S::kAwaitingSig, E::kDhCommit, G::kAlways, {A::kStoreDhCommit, A::kSendDhKey}, S::kAwaitingRevealSig, kCommit},
    {S::kV1Setup, E::kDhCommit, G::kVersionNotAllowed, {A::kIgnore}, S::kV1Setup, kCommit},
    {S::kV1Setup, E::kDhCommit, G::kAlways, {A::kStoreDhCommit, A::kSendDhKey}, S::kAwaitingRevealSig, kCommit},

    // D-H Key.
    {S::kNone, E::kDhKey, G::kAlways, {A::kIgnore}, S::kNone, kKey},
    {S::kAwaitingDhKey, E::kDhKey, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingDhKey, kKey},
    {S::kAwaitingDhKey, E::kDhKey, G::kDhKeyOutOfRange, {A::kIgnore}, S::kAwaitingDhKey, kKeyCheck},
    {S::kAwaitingDhKey, E::kDhKey, G::kAlways, {A::kStoreDhKey, A::kSendRevealSignature}, S::kAwaitingSig, kKey},
    {S::kAwaitingRevealSig, E::kDhKey, G::kAlways, {A::kIgnore}, S::kAwaitingRevealSig, kKey},
    {S::kAwaitingSig, E::kDhKey, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingSig, kKey},
    {S::kAwaitingSig, E::kDhKey, G::kSameDhKeyAsStored, {A::kResendRevealSignature}, S::kAwaitingSig, kKey},
    {S::kAwaitingSig, E::kDhKey, G::kAlways, {A::kIgnore}, S::kAwaitingSig, kKey},
    {S::kV1Setup, E::kDhKey, G::kAlways, {A::kIgnore}, S::kV1Setup, kKey},

    // Reveal Signature. "Regardless of whether the signature verifications
    // succeed, the authstate variable is transitioned to AUTHSTATE_NONE"
    // ("Authentication state") applies to a verified exchange; a message
    // that fails verification is ignored ("Otherwise, ignore the message").
    {S::kNone, E::kRevealSignature, G::kAlways, {A::kIgnore}, S::kNone, kReveal},
    {S::kAwaitingDhKey, E::kRevealSignature, G::kAlways, {A::kIgnore}, S::kAwaitingDhKey, kReveal},
    {S::kAwaitingRevealSig, E::kRevealSignature, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingRevealSig, kReveal},
    {S::kAwaitingRevealSig, E::kRevealSignature, G::kRevealSignatureVerifies, {A::kSendSignature, A::kAuthenticated}, S::kNone, kReveal},
    {S::kAwaitingRevealSig, E::kRevealSignature, G::kAlways, {A::kIgnore}, S::kAwaitingRevealSig, kReveal},
    {S::kAwaitingSig, E::kRevealSignature, G::kAlways, {A::kIgnore}, S::kAwaitingSig, kReveal},
    {S::kV1Setup, E::kRevealSignature, G::kAlways, {A::kIgnore}, S::kV1Setup, kReveal},

    // Signature.
    {S::kNone, E::kSignature, G::kAlways, {A::kIgnore}, S::kNone, kSig},
    {S::kAwaitingDhKey, E::kSignature, G::kAlways, {A::kIgnore}, S::kAwaitingDhKey, kSig},
    {S::kAwaitingRevealSig, E::kSignature, G::kAlways, {A::kIgnore}, S::kAwaitingRevealSig, kSig},
    {S::kAwaitingSig, E::kSignature, G::kVersionNotAllowed, {A::kIgnore}, S::kAwaitingSig, kSig},
    {S::kAwaitingSig, E::kSignature, G::kSignatureVerifies, {A::kAuthenticated}, S::kNone, kSig},
    {S::kAwaitingSig, E::kSignature, G::kAlways, {A::kIgnore}, S::kAwaitingSig, kSig},
    {S::kV1Setup, E::kSignature, G::kAlways, {A::kIgnore}, S::kV1Setup, kIgnored},

    // Version 1 is parsed but never negotiated: refuse in every state.
    {S::kNone, E::kV1KeyExchange, G::kAlways, {A::kRefuseV1}, S::kNone, kV1},
    {S::kAwaitingDhKey, E::kV1KeyExchange, G::kAlways, {A::kRefuseV1}, S::kAwaitingDhKey, kV1},
    {S::kAwaitingRevealSig, E::kV1KeyExchange, G::kAlways, {A::kRefuseV1}, S::kAwaitingRevealSig, kV1},
    {S::kAwaitingSig, E::kV1KeyExchange, G::kAlways, {A::kRefuseV1}, S::kAwaitingSig, kV1},
    {S::kV1Setup, E::kV1KeyExchange, G::kAlways, {A::kRefuseV1}, S::kNone, kV1},

    // The user ended the conversation, or our master conversation's exchange
    // was taken over by an instance's conversation, which completed it:
    // forget the exchange.
    {S::kNone, E::kAbandon, G::kAlways, {A::kForgetExchange}, S::kNone, kAbandonS},
    {S::kAwaitingDhKey, E::kAbandon, G::kAlways, {A::kForgetExchange}, S::kNone, kAbandonS},
    {S::kAwaitingRevealSig, E::kAbandon, G::kAlways, {A::kForgetExchange}, S::kNone, kAbandonS},
    {S::kAwaitingSig, E::kAbandon, G::kAlways, {A::kForgetExchange}, S::kNone, kAbandonS},
    {S::kV1Setup, E::kAbandon, G::kAlways, {A::kForgetExchange}, S::kNone, kAbandonS},
};
// clang-format on

}  // namespace auth_table_internal

inline constexpr std::span<const AuthRow> kAuthTable(auth_table_internal::kAuthTable);

static_assert(table::IsTotal<AuthRow, AuthState, AuthEvent, AuthGuard>(kAuthTable),
              "every (authstate, event) pair must end in an unguarded row");

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_STATE_AUTH_TABLE_H_
