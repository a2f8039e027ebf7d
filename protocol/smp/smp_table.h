// The Socialist Millionaires' Protocol state machine (smpstate) as a
// transition table, shared by every version: otr v3 spec, "The SMP state
// machine" and its "State Transitions" (received TLVs 2-7 and the user's
// begin / abort requests); the v4 spec keeps it ("OTRv4 does not change the
// state machine for SMP") and changes only the group and the hash.
// The spec's EXPECT1 covers two situations the engine must tell apart: idle,
// and holding a received SMP message 1 while the user is asked for the
// secret; the guard kSmp1Stored makes that explicit without a fifth state.
#ifndef OTR_PROTOCOL_SMP_SMP_TABLE_H_
#define OTR_PROTOCOL_SMP_SMP_TABLE_H_

#include <span>

#include "protocol/table/enum.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"

namespace otr::smp {

#define OTR_SMP_STATES(X)         \
  X(kExpect1, "SMPSTATE_EXPECT1") \
  X(kExpect2, "SMPSTATE_EXPECT2") \
  X(kExpect3, "SMPSTATE_EXPECT3") \
  X(kExpect4, "SMPSTATE_EXPECT4")
OTR_TABLE_ENUM(SmpState, OTR_SMP_STATES)

#define OTR_SMP_EVENTS(X)                                      \
  X(kSmp1, "receive SMP message 1 (TLV 2 or 7)")               \
  X(kSmp2, "receive SMP message 2 (TLV 3)")                    \
  X(kSmp3, "receive SMP message 3 (TLV 4)")                    \
  X(kSmp4, "receive SMP message 4 (TLV 5)")                    \
  X(kAbort, "receive SMP abort (TLV 6)")                       \
  X(kUserStart, "user requests to begin SMP")                  \
  X(kUserRespond, "user gives the secret for a received SMP1") \
  X(kUserAbort, "user requests to abort SMP")                  \
  X(kReset, "MSGSTATE_ENCRYPTED became unset, or a new AKE")   \
  X(kExtra, "an SMP TLV after the first in one Data Message")
OTR_TABLE_ENUM(SmpEvent, OTR_SMP_EVENTS)

#define OTR_SMP_GUARDS(X)                                       \
  X(kAlways, "-")                                               \
  X(kProofsVerify, "group elements in range and proofs verify") \
  X(kSmp1Stored, "an SMP message 1 awaits the user's secret")
OTR_TABLE_ENUM(SmpGuard, OTR_SMP_GUARDS)

#define OTR_SMP_ACTIONS(X)                                                   \
  X(kNone, "-")                                                              \
  X(kIgnore, "ignore")                                                       \
  X(kSendAbort, "send TLV 6 (SMP abort)")                                    \
  X(kStoreSmp1AskSecret, "store SMP message 1; ask the user for the secret") \
  X(kSendSmp1, "choose a2, a3; send SMP message 1 (or 1Q)")                  \
  X(kSendSmp2, "choose b2, b3, r4; send SMP message 2")                      \
  X(kSendSmp3, "send SMP message 3")                                         \
  X(kSendSmp4, "send SMP message 4")                                         \
  X(kReportResult, "compare Pa/Pb with Rab; report success or failure")      \
  X(kReportCheated, "report: the peer's proof did not verify")               \
  X(kReportAborted, "report: SMP aborted")                                   \
  X(kForget, "forget all SMP values")
OTR_TABLE_ENUM(SmpAction, OTR_SMP_ACTIONS)

using SmpRow = table::Row<SmpState, SmpEvent, SmpGuard, SmpAction, 3>;
inline constexpr table::Machine kSmpMachine{"smpstate"};

namespace smp_table_internal {

using S = SmpState;
using E = SmpEvent;
using G = SmpGuard;
using A = SmpAction;

inline constexpr char kMsg1[] = "v3 SMP: Receiving a type 2 TLV (SMP message 1)";
inline constexpr char kMsg2[] = "v3 SMP: Receiving a type 3 TLV (SMP message 2)";
inline constexpr char kMsg3[] = "v3 SMP: Receiving a type 4 TLV (SMP message 3)";
inline constexpr char kMsg4[] = "v3 SMP: Receiving a type 5 TLV (SMP message 4)";
inline constexpr char kAbortS[] = "v3 SMP: Receiving a type 6 TLV (SMP abort)";
inline constexpr char kBegin[] = "v3 SMP: User requests to begin SMP";
inline constexpr char kUserAbortS[] = "v3 SMP: User requests to abort SMP";
inline constexpr char kResetS[] = "v3 SMP state machine: MSGSTATE_ENCRYPTED unset";
// One SMP step per Data Message: a further SMP TLV in the same message is
// treated as the spec treats an SMP message in the wrong state ("set
// smpstate to SMPSTATE_EXPECT1 and send a type 6 TLV"), and reported.
inline constexpr char kExtraS[] = "v3 SMP: an SMP message not expected in this state";

// One row per line reads like the spec.
// clang-format off
inline constexpr SmpRow kSmpTable[] = {
    // SMP message 1: only in EXPECT1; elsewhere abort and start over.
    {S::kExpect1, E::kSmp1, G::kProofsVerify, {A::kStoreSmp1AskSecret}, S::kExpect1, kMsg1},
    {S::kExpect1, E::kSmp1, G::kAlways, {A::kForget, A::kSendAbort, A::kReportCheated}, S::kExpect1, kMsg1},
    {S::kExpect2, E::kSmp1, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg1},
    {S::kExpect3, E::kSmp1, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg1},
    {S::kExpect4, E::kSmp1, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg1},

    // SMP message 2.
    {S::kExpect1, E::kSmp2, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg2},
    {S::kExpect2, E::kSmp2, G::kProofsVerify, {A::kSendSmp3}, S::kExpect4, kMsg2},
    {S::kExpect2, E::kSmp2, G::kAlways, {A::kForget, A::kSendAbort, A::kReportCheated}, S::kExpect1, kMsg2},
    {S::kExpect3, E::kSmp2, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg2},
    {S::kExpect4, E::kSmp2, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg2},

    // SMP message 3.
    {S::kExpect1, E::kSmp3, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg3},
    {S::kExpect2, E::kSmp3, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg3},
    {S::kExpect3, E::kSmp3, G::kProofsVerify, {A::kSendSmp4, A::kReportResult, A::kForget}, S::kExpect1, kMsg3},
    {S::kExpect3, E::kSmp3, G::kAlways, {A::kForget, A::kSendAbort, A::kReportCheated}, S::kExpect1, kMsg3},
    {S::kExpect4, E::kSmp3, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg3},

    // SMP message 4.
    {S::kExpect1, E::kSmp4, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg4},
    {S::kExpect2, E::kSmp4, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg4},
    {S::kExpect3, E::kSmp4, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kMsg4},
    {S::kExpect4, E::kSmp4, G::kProofsVerify, {A::kReportResult, A::kForget}, S::kExpect1, kMsg4},
    {S::kExpect4, E::kSmp4, G::kAlways, {A::kForget, A::kSendAbort, A::kReportCheated}, S::kExpect1, kMsg4},

    // SMP abort from the peer.
    {S::kExpect1, E::kAbort, G::kAlways, {A::kForget, A::kReportAborted}, S::kExpect1, kAbortS},
    {S::kExpect2, E::kAbort, G::kAlways, {A::kForget, A::kReportAborted}, S::kExpect1, kAbortS},
    {S::kExpect3, E::kAbort, G::kAlways, {A::kForget, A::kReportAborted}, S::kExpect1, kAbortS},
    {S::kExpect4, E::kAbort, G::kAlways, {A::kForget, A::kReportAborted}, S::kExpect1, kAbortS},

    // The user begins SMP; if one is underway, abort it and restart.
    {S::kExpect1, E::kUserStart, G::kSmp1Stored, {A::kForget, A::kSendAbort, A::kSendSmp1}, S::kExpect2, kBegin},
    {S::kExpect1, E::kUserStart, G::kAlways, {A::kSendSmp1}, S::kExpect2, kBegin},
    {S::kExpect2, E::kUserStart, G::kAlways, {A::kForget, A::kSendAbort, A::kSendSmp1}, S::kExpect2, kBegin},
    {S::kExpect3, E::kUserStart, G::kAlways, {A::kForget, A::kSendAbort, A::kSendSmp1}, S::kExpect2, kBegin},
    {S::kExpect4, E::kUserStart, G::kAlways, {A::kForget, A::kSendAbort, A::kSendSmp1}, S::kExpect2, kBegin},

    // The user answers a stored SMP message 1 with the secret.
    {S::kExpect1, E::kUserRespond, G::kSmp1Stored, {A::kSendSmp2}, S::kExpect3, kMsg1},
    {S::kExpect1, E::kUserRespond, G::kAlways, {A::kIgnore}, S::kExpect1, kMsg1},
    {S::kExpect2, E::kUserRespond, G::kAlways, {A::kIgnore}, S::kExpect2, kMsg1},
    {S::kExpect3, E::kUserRespond, G::kAlways, {A::kIgnore}, S::kExpect3, kMsg1},
    {S::kExpect4, E::kUserRespond, G::kAlways, {A::kIgnore}, S::kExpect4, kMsg1},

    // The user aborts.
    {S::kExpect1, E::kUserAbort, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kUserAbortS},
    {S::kExpect2, E::kUserAbort, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kUserAbortS},
    {S::kExpect3, E::kUserAbort, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kUserAbortS},
    {S::kExpect4, E::kUserAbort, G::kAlways, {A::kForget, A::kSendAbort}, S::kExpect1, kUserAbortS},

    // The conversation left ENCRYPTED.
    {S::kExpect1, E::kReset, G::kAlways, {A::kForget}, S::kExpect1, kResetS},
    {S::kExpect2, E::kReset, G::kAlways, {A::kForget}, S::kExpect1, kResetS},
    {S::kExpect3, E::kReset, G::kAlways, {A::kForget}, S::kExpect1, kResetS},
    {S::kExpect4, E::kReset, G::kAlways, {A::kForget}, S::kExpect1, kResetS},

    // A second SMP TLV in one Data Message.
    {S::kExpect1, E::kExtra, G::kAlways, {A::kForget, A::kSendAbort, A::kReportAborted}, S::kExpect1, kExtraS},
    {S::kExpect2, E::kExtra, G::kAlways, {A::kForget, A::kSendAbort, A::kReportAborted}, S::kExpect1, kExtraS},
    {S::kExpect3, E::kExtra, G::kAlways, {A::kForget, A::kSendAbort, A::kReportAborted}, S::kExpect1, kExtraS},
    {S::kExpect4, E::kExtra, G::kAlways, {A::kForget, A::kSendAbort, A::kReportAborted}, S::kExpect1, kExtraS},
};
// clang-format on

}  // namespace smp_table_internal

inline constexpr std::span<const SmpRow> kSmpTable(smp_table_internal::kSmpTable);

static_assert(table::IsTotal<SmpRow, SmpState, SmpEvent, SmpGuard>(kSmpTable),
              "every (smpstate, event) pair must end in an unguarded row");

}  // namespace otr::smp

#endif  // OTR_PROTOCOL_SMP_SMP_TABLE_H_
