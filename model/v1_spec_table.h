// The version 1 Key Exchange as the v1 spec describes it, for the formal
// model only: our engine never negotiates v1 (auth_table.h refuses every v1
// message, and Policy::Validate refuses ALLOW_V1). The model substitutes
// these rows for the engine's v1 rows to show what allowing v1 would expose
// (the identity misbinding of Di Raimondo, Gennaro and Krawczyk, 2005, and
// the version rollback of Bonneau and Morrison, 2006); with the engine's own
// rows the same properties hold.
#ifndef OTR_MODEL_V1_SPEC_TABLE_H_
#define OTR_MODEL_V1_SPEC_TABLE_H_

#include <span>

#include "protocol/table/enum.h"
#include "protocol/table/table.h"
#include "protocol/v3/state/auth_table.h"

namespace otr::model {

#define OTR_MODEL_V1_GUARDS(X)                                                  \
  X(kAlways, "-")                                                               \
  X(kStartV1, "the query offers version 1 only (ALLOW_V1 set)")                 \
  X(kV1VerifiesNoReply, "the Key Exchange verifies, its Reply field is 0")      \
  X(kV1Verifies, "the Key Exchange verifies (signature by the key it carries)") \
  X(kV1ConnectedReply, "CONNECTED, and the Key Exchange verifies with Reply 0x01")
OTR_TABLE_ENUM(V1Guard, OTR_MODEL_V1_GUARDS)

#define OTR_MODEL_V1_ACTIONS(X)                                        \
  X(kNone, "-")                                                        \
  X(kSendV1KeyExchange, "send a Key Exchange with Reply 0x00")         \
  X(kSendV1Reply, "send a Key Exchange with Reply 0x01")               \
  X(kV1Authenticated, "private communication established (CONNECTED)") \
  X(kSendV1Error, "send an OTR Error message (verification failed)")
OTR_TABLE_ENUM(V1Action, OTR_MODEL_V1_ACTIONS)

using V1Row = table::Row<v3::AuthState, v3::AuthEvent, V1Guard, V1Action, 2>;

namespace v1_internal {

using S = v3::AuthState;
using E = v3::AuthEvent;
using G = V1Guard;
using A = V1Action;

inline constexpr char kQuery[] = "v1 Protocol: receives an OTR Query message";
inline constexpr char kUnconnected[] = "v1 Protocol: UNCONNECTED, receives a Key Exchange";
inline constexpr char kConnected[] = "v1 Protocol: CONNECTED, receives a Key Exchange";
inline constexpr char kSetup[] = "v1 Protocol: SETUP, receives a Key Exchange";

// These rows take precedence over the engine's rows for the same (state,
// event) when the model is built with ALLOW_V1; the unguarded fall-through
// is the engine's own row (kRefuseV1 or a v2/v3 kStartAke).
// clang-format off
inline constexpr V1Row kV1Table[] = {
    {S::kNone, E::kStartAke, G::kStartV1, {A::kSendV1KeyExchange}, S::kV1Setup, kQuery},
    {S::kAwaitingDhKey, E::kStartAke, G::kStartV1, {A::kSendV1KeyExchange}, S::kV1Setup, kQuery},
    {S::kAwaitingRevealSig, E::kStartAke, G::kStartV1, {A::kSendV1KeyExchange}, S::kV1Setup, kQuery},
    {S::kAwaitingSig, E::kStartAke, G::kStartV1, {A::kSendV1KeyExchange}, S::kV1Setup, kQuery},
    {S::kV1Setup, E::kStartAke, G::kStartV1, {A::kSendV1KeyExchange}, S::kV1Setup, kQuery},
    // "reply with an OTR Key Exchange message with the Reply field set to
    // 0x01 (even if ...), inform the user ... move to the CONNECTED state"
    // CONNECTED (msgstate ENCRYPTED): "If the received Key Exchange message
    // did not have the Reply field set to 0x01, reply"; otherwise only re-key.
    {S::kNone, E::kV1KeyExchange, G::kV1ConnectedReply, {A::kV1Authenticated}, S::kNone, kConnected},
    {S::kNone, E::kV1KeyExchange, G::kV1Verifies, {A::kSendV1Reply, A::kV1Authenticated}, S::kNone, kUnconnected},
    {S::kNone, E::kV1KeyExchange, G::kAlways, {A::kSendV1Error}, S::kNone, kUnconnected},
    // "If the received Key Exchange message did not have the Reply field
    // set to 0x01, reply ... In any event, inform the user"
    {S::kV1Setup, E::kV1KeyExchange, G::kV1VerifiesNoReply, {A::kSendV1Reply, A::kV1Authenticated}, S::kNone, kSetup},
    {S::kV1Setup, E::kV1KeyExchange, G::kV1Verifies, {A::kV1Authenticated}, S::kNone, kSetup},
    {S::kV1Setup, E::kV1KeyExchange, G::kAlways, {A::kSendV1Error}, S::kV1Setup, kSetup},
};
// clang-format on

}  // namespace v1_internal

inline constexpr std::span<const V1Row> kV1Table(v1_internal::kV1Table);

}  // namespace otr::model

#endif  // OTR_MODEL_V1_SPEC_TABLE_H_
