// The OTRv4 protocol state machine as one transition table (otrv4.md, "The
// Protocol State Machine": "Protocol States" and every "Protocol Events"
// subsection; "OTRv4 Modes" and shared/specs/otr-v4-modes/ for the rows
// that depend on the mode).
//
// The spec's five states, and two more that are ENCRYPTED_MESSAGES with a
// new DAKE running beside it (docs/decisions/0010-v4-replayed-identity.md):
// a valid Identity message, or the user refreshing the keys, while
// ENCRYPTED_MESSAGES starts a new DAKE, but the established conversation
// (ratchet, SSID, SMP) keeps working until that DAKE completes. The spec's
// merged machine would go to WAITING_AUTH_I and lose the conversation to
// anyone replaying an old Identity message.
//
// v3 messages never reach this table: the session routes a v3 query, tag or
// D-H Commit to the v3 engine in the v3-compatible mode, and refuses them in
// the two v4-only modes ("If a client implements "OTRv4-standalone" mode or
// "OTRv4-interactive-only" mode and a request for an OTRv3 conversation
// arrives, reject this request"). Here the guards below only see whether a
// query or tag offers version 4.
//
// SMP runs in protocol/smp's own table (the version seam), as in v3; this
// table only says where a Data Message's TLVs are read.
#ifndef OTR_PROTOCOL_V4_STATE_CONVERSATION_TABLE_H_
#define OTR_PROTOCOL_V4_STATE_CONVERSATION_TABLE_H_

#include <span>

#include "protocol/table/enum.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"

namespace otr::v4 {

#define OTR_V4_PROTOCOL_STATES(X)                                             \
  X(kStart, "START")                                                          \
  X(kWaitingAuthR, "WAITING_AUTH_R")                                          \
  X(kWaitingAuthI, "WAITING_AUTH_I")                                          \
  X(kEncrypted, "ENCRYPTED_MESSAGES")                                         \
  X(kEncryptedWaitingAuthR, "ENCRYPTED_MESSAGES, new DAKE in WAITING_AUTH_R") \
  X(kEncryptedWaitingAuthI, "ENCRYPTED_MESSAGES, new DAKE in WAITING_AUTH_I") \
  X(kFinished, "FINISHED")
OTR_TABLE_ENUM(ProtocolState, OTR_V4_PROTOCOL_STATES)

#define OTR_V4_PROTOCOL_EVENTS(X)                                                               \
  X(kPlaintext, "receive plaintext without the whitespace tag")                                 \
  X(kTaggedPlaintext, "receive plaintext with the whitespace tag")                              \
  X(kQuery, "receive a Query Message")                                                          \
  X(kError, "receive an Error Message")                                                         \
  X(kIdentity, "receive an Identity message")                                                   \
  X(kAuthR, "receive an Auth-R message")                                                        \
  X(kAuthI, "receive an Auth-I message")                                                        \
  X(kNonInteractiveAuth, "receive a Non-Interactive-Auth (or Prekey) message")                  \
  X(kData, "receive a Data Message")                                                            \
  X(kPeerDisconnected, "a readable Data Message carried TLV 1 (raised by kDeliverData)")        \
  X(kDataAccepted, "a Data Message was read (raised by kDeliverData, after kPeerDisconnected)") \
  X(kStoredData, "a Data Message stored before the DAKE completed (raised by kReadStoredData)") \
  X(kUserStart, "user requests to start an OTR conversation")                                   \
  X(kUserStartInteractive, "user starts a conversation interactively")                          \
  X(kUserStartOffline, "user sends a Data Message to an offline participant")                   \
  X(kUserSend, "user sends a message")                                                          \
  X(kUserEnd, "user requests to end an OTRv4 conversation")                                     \
  X(kTimeout, "time passes (HandleTimeout)")                                                    \
  X(kUserEndElsewhere,                                                                          \
    "the user ends another conversation of the session (a DAKE in flight here goes with it)")   \
  X(kTakeOverFinished,                                                                          \
    "the session puts this new conversation in place of a v2/v3 conversation in "               \
    "MSGSTATE_FINISHED (a v4 offer arrived)")
OTR_TABLE_ENUM(ProtocolEvent, OTR_V4_PROTOCOL_EVENTS)

#define OTR_V4_PROTOCOL_GUARDS(X)                                                             \
  X(kAlways, "-")                                                                             \
  X(kWarnUnencrypted, "REQUIRE_ENCRYPTION, or a v4-only mode (plaintext is never expected)")  \
  X(kTagStartsDake, "v3-compatible mode, WHITESPACE_START_AKE, and the tag offers 4")         \
  X(kTagStartsDakeWarn, "as the row below, and REQUIRE_ENCRYPTION")                           \
  X(kQueryOffersV4, "v3-compatible mode and the query offers 4")                              \
  X(kErrorCodeKnown, "the error begins with a code the spec lists (ERROR_1..ERROR_3)")        \
  X(kIdentityValid, "the Identity message validates")                                         \
  X(kIdentityValidOursHigher, "it validates, and our hashed B is the higher")                 \
  X(kIdentityAnswered, "it is the Identity message our Auth-R answered (resent)")             \
  X(kIdentityValidForUs, "it validates, and its receiver instance tag is ours")               \
  X(kAuthRValid, "its receiver instance tag is ours and the Auth-R message validates")        \
  X(kAuthIValid, "its receiver instance tag is ours and the Auth-I message validates")        \
  X(kDataReadable, "its instance tag is ours; it verifies and decrypts (the ratchet's plan)") \
  X(kIgnoreUnreadable, "the message has the IGNORE_UNREADABLE flag")                          \
  X(kHeartbeatDue, "nothing sent to the peer for the heartbeat time")                         \
  X(kSessionExpired, "no new ECDH key for the session expiration time")                       \
  X(kStoredKeysDue, "a stored message key is older than its lifetime")                        \
  X(kInteractiveOnly, "interactive-only mode")                                                \
  X(kV3Compatible, "v3-compatible mode")                                                      \
  X(kTagPending,                                                                              \
    "v3-compatible, no REQUIRE_ENCRYPTION, SEND_WHITESPACE_TAG, no plaintext "                \
    "received yet")                                                                           \
  X(kPlaintextAllowed, "v3-compatible mode and no REQUIRE_ENCRYPTION")                        \
  X(kFirstRatchetAfterDake,                                                                   \
    "its instance tags are ours; the peer's first DH ratchet (ratchet id 0) after the DAKE "  \
    "our Auth-R answered")                                                                    \
  X(kStoredDataDue, "a stored Data Message is older than its lifetime")                       \
  X(kDakeStale, "the DAKE in progress made its keys the session expiration time ago")         \
  X(kNonInteractiveAuthValid,                                                                 \
    "its receiver instance tag is ours, it names a stored prekey message, and it validates")
OTR_TABLE_ENUM(ProtocolGuard, OTR_V4_PROTOCOL_GUARDS)

#define OTR_V4_PROTOCOL_ACTIONS(X)                                                               \
  X(kNone, "-")                                                                                  \
  X(kIgnore, "ignore the message")                                                               \
  X(kDisplay, "display the message")                                                             \
  X(kDisplayUnencryptedWarning, "display the message, warn it was received unencrypted")         \
  X(kNotePlaintextReceived, "note a plaintext was received (no more whitespace tags)")           \
  X(kDisplayError, "display the human-readable error")                                           \
  X(kAllowRetransmit, "the peer could not read us: the stored message may be resent")            \
  X(kSendQuery, "send a Query Message")                                                          \
  X(kSendIdentity, "forget any DAKE in progress, send a new Identity message")                   \
  X(kResendIdentity, "resend our Identity message")                                              \
  X(kSendAuthR, "forget any DAKE in progress, reply with an Auth-R message")                     \
  X(kResendAuthR, "resend our Auth-R message")                                                   \
  X(kSendAuthI, "reply with an Auth-I message (the DAKE completes)")                             \
  X(kEstablish, "initialize the double ratchet; the new conversation replaces any old one")      \
  X(kReportSecure, "report: the conversation is encrypted")                                      \
  X(kSendStoredMessage, "resend the recent stored message if the peer could not read it")        \
  X(kResetSmp, "abandon SMP (smpstate reset)")                                                   \
  X(kForgetDake, "forget the DAKE in progress")                                                  \
  X(kForgetConversation, "forget the state and key variables of the conversation")               \
  X(kDeliverData, "commit the ratchet, display the human part, handle the TLVs")                 \
  X(kReportUnreadable, "inform the user an unreadable message arrived")                          \
  X(kSendError1, "reply with an Error Message ERROR_1 (unreadable message)")                     \
  X(kSendError2, "reply with an Error Message ERROR_2 (not in private state)")                   \
  X(kSendHeartbeat, "send a heartbeat (an empty Data Message, IGNORE_UNREADABLE)")               \
  X(kSendPlaintext, "send the message as plaintext")                                             \
  X(kSendTaggedPlaintext, "send the message with the whitespace tag")                            \
  X(kSendEncrypted, "encrypt the message and send a Data Message")                               \
  X(kStoreMessage, "store the plaintext for possible retransmission")                            \
  X(kHoldMessage, "queue the plaintext until ENCRYPTED_MESSAGES (the session sends it)")         \
  X(kReportHeldBack, "report: the message was held back until the conversation is encrypted")    \
  X(kReportCannotSend, "inform the user the message cannot be sent now")                         \
  X(kSendDisconnect, "send a Data Message with TLV 1 (Disconnected)")                            \
  X(kArmWhitespaceTag, "entering START: whitespace tags may be sent again")                      \
  X(kReportInsecure, "report: the conversation is no longer encrypted")                          \
  X(kReportPeerEnded, "report: the peer ended the conversation")                                 \
  X(kExpireSession, "send TLV 1 with the old MAC keys, then delete every key of the session")    \
  X(kDeleteStoredKeys, "delete the stored message keys past their lifetime (MAC keys revealed)") \
  X(kRefuseOffline, "refuse the offline conversation")                                           \
  X(kStoreData, "store the Data Message until the DAKE completes (bounded: the oldest goes)")    \
  X(kReadStoredData, "take the stored Data Messages out of storage; read each (kStoredData)")    \
  X(kDropExpiredData, "delete the stored Data Messages past their lifetime")                     \
  X(kStartOfflineDake,                                                                           \
    "make a Non-Interactive-Auth message from the Prekey Ensemble; initialize the double "       \
    "ratchet (replacing any state or key variables)")                                            \
  X(kSendNonInteractiveAuth, "send the Non-Interactive-Auth message")                            \
  X(kEstablishOffline,                                                                           \
    "initialize the double ratchet from the Non-Interactive-Auth message; the new conversation " \
    "replaces any old one")                                                                      \
  X(kConsumePrekey, "erase the prekey message's secrets (used once)")                            \
  X(kReportOfflineRefused, "report: the offline start was refused (nothing is sent)")
OTR_TABLE_ENUM(ProtocolAction, OTR_V4_PROTOCOL_ACTIONS)

using ProtocolRow = table::Row<ProtocolState, ProtocolEvent, ProtocolGuard, ProtocolAction, 6>;
inline constexpr table::Machine kProtocolMachine{"v4 protocol state"};

namespace protocol_table_internal {

using S = ProtocolState;
using E = ProtocolEvent;
using G = ProtocolGuard;
using A = ProtocolAction;

inline constexpr char kPlain[] =
    "v4 Protocol Events: Receiving plaintext without the whitespace tag";
inline constexpr char kTagged[] = "v4 Protocol Events: Receiving plaintext with the whitespace tag";
// In WAITING_AUTH_R/I a DAKE is already running: a tag does not restart it.
inline constexpr char kTaggedDake[] =
    "v4 Protocol Events: Receiving plaintext with the whitespace tag (a DAKE is running)";
inline constexpr char kQueryS[] = "v4 Protocol Events: Receiving a Query Message";
// A query while a DAKE or conversation runs: ENCRYPTED_MESSAGES keeps the
// conversation while the new DAKE runs (decision 0010).
inline constexpr char kQueryEnc[] =
    "v4 Protocol Events: Receiving a Query Message; decision 0010 (the conversation is kept)";
// "If the error code exists in the spec: Display ... Otherwise: Ignore". The
// v3-only ERROR_START_AKE does not apply.
inline constexpr char kErrorS[] = "v4 Protocol Events: Receiving an Error Message";
inline constexpr char kIdStart[] =
    "v4 Receiving an Identity Message: state START (reply with Auth-R, WAITING_AUTH_I)";
inline constexpr char kIdWaitR[] =
    "v4 Receiving an Identity Message: state WAITING_AUTH_R (compare hashed B; higher resends)";
inline constexpr char kIdWaitI[] =
    "v4 Receiving an Identity Message: state WAITING_AUTH_I (receiver tag ours: new Auth-R)";
// "Perhaps your correspondent simply started a new DAKE or they resent
// their Identity Message": a resent one (the same bytes we answered) gets
// the same Auth-R again, as v3 retransmits its D-H Key. A new Auth-R would
// replace the values the peer's Auth-I is made for: after a simultaneous
// start the winner resends its Identity message and the loser, already in
// WAITING_AUTH_I, would never complete.
inline constexpr char kIdResent[] =
    "v4 Receiving an Identity Message: state WAITING_AUTH_I, the Identity message resent "
    "(resend the Auth-R, as v3 retransmits its D-H Key)";
inline constexpr char kIdEnc[] =
    "v4 Receiving an Identity Message: state ENCRYPTED_MESSAGES; decision 0010 (the new DAKE "
    "runs beside the conversation)";
inline constexpr char kIdFinished[] = "v4 Receiving an Identity Message: state FINISHED";
inline constexpr char kIdOther[] = "v4 Receiving an Identity Message: validation fails (ignore)";
inline constexpr char kAuthRS[] = "v4 Receiving an Auth-R Message; Sending an Auth-I Message";
inline constexpr char kAuthREnc[] =
    "v4 Receiving an Auth-R Message; Sending an Auth-I Message; decision 0010 (switch now)";
inline constexpr char kAuthRIgnore[] =
    "v4 Receiving an Auth-R Message: not WAITING_AUTH_R, or invalid (ignore)";
inline constexpr char kAuthIS[] = "v4 Receiving an Auth-I Message";
inline constexpr char kAuthIEnc[] = "v4 Receiving an Auth-I Message; decision 0010 (switch now)";
inline constexpr char kAuthIIgnore[] =
    "v4 Receiving an Auth-I Message: not WAITING_AUTH_I, or invalid (ignore)";
inline constexpr char kOfflineRefused[] =
    "v4 OTRv4 Modes: interactive-only rejects a request for an offline conversation";
// Issue 18: the non-interactive DAKE (decision 0015). "Else (including any
// interactive state): ... Forget any set values (state or key variables).
// Validate ... Initialize the double ratcheting ... Transition to state to
// ENCRYPTED_MESSAGES"; the prekey message's secrets are erased when the row
// commits. A message that does not validate is ignored ("rejects the
// message and does not send anything further") and reported locally.
inline constexpr char kOfflineReceive[] = "v4 Receiving a Non-Interactive-Auth Message";
inline constexpr char kOfflineIgnore[] =
    "v4 Receiving a Non-Interactive-Auth Message: receiver tag not ours, no such stored prekey "
    "message (or used), or validation fails (ignore, reported)";
inline constexpr char kOfflineFinished[] =
    "v4 Receiving a Non-Interactive-Auth Message: state FINISHED (ignore)";
// The Prekey Ensemble was validated and chosen by the session ("Receiving
// Prekey Ensembles", "Validating Prekey Ensembles").
inline constexpr char kSendOffline[] =
    "v4 Sending a Data Message to an offline participant (replace any state or key variables)";
inline constexpr char kSendOfflineEnc[] =
    "v4 Starting an offline conversation after an online one (TLV 1, then a Non-Interactive-Auth "
    "message)";
inline constexpr char kDataNotEnc[] =
    "v4 Receiving a Data Message: state not ENCRYPTED_MESSAGES (ERROR_2)";
inline constexpr char kDataS[] = "v4 Receiving a Data Message: ENCRYPTED_MESSAGES";
inline constexpr char kDataBad[] = "v4 Receiving a Data Message: cannot be decrypted (ERROR_1)";
inline constexpr char kFlag[] = "v4 Receiving a Data Message: IGNORE_UNREADABLE set (ignore)";
inline constexpr char kTlv1[] =
    "v4 Receiving a Data Message: TLV type 1 (Disconnected) -> FINISHED";
inline constexpr char kHeartbeat[] =
    "v4 Receiving a Data Message: \"If you have not sent a message to this correspondent in some "
    "(configurable) time, send a heartbeat message\"";
inline constexpr char kStartS[] =
    "v4 User requests to start an OTR Conversation (Query Messages; v4-only modes: Starting a "
    "conversation interactively)";
// "Query messages are not allowed to be sent in ENCRYPTED_MESSAGES": a
// refresh sends an Identity message; decision 0010 keeps the conversation.
inline constexpr char kStartEnc[] =
    "v4 Starting a conversation interactively, from ENCRYPTED_MESSAGES; decision 0010";
inline constexpr char kInteractive[] = "v4 Starting a conversation interactively";
inline constexpr char kSendS[] = "v4 Sending a Data Message";
// The v3-compatible mode sends plaintext in START as v3 does (no
// REQUIRE_ENCRYPTION); the v4-only modes never do ("the START and FINISHED
// states ... should not allow any plaintext message to be sent").
inline constexpr char kSendStart[] =
    "v4 Sending a Data Message: START (queue; v3-compatible without REQUIRE_ENCRYPTION: "
    "plaintext, whitespace tag)";
inline constexpr char kSendFinished[] =
    "v4 Sending a Data Message: FINISHED (inform the user it cannot be sent)";
inline constexpr char kEnd[] = "v4 User requests to end an OTRv4 Conversation";
// Ending also forgets a DAKE in flight, so that a late DAKE message cannot
// make the conversation secure again.
inline constexpr char kEndDake[] =
    "v4 User requests to end an OTRv4 Conversation (a DAKE in progress is forgotten)";
inline constexpr char kExpiry[] = "v4 Session Expiration (-> FINISHED)";
inline constexpr char kStoredKeys[] = "v4 Deletion of Stored Message Keys (by time)";
inline constexpr char kNothingDue[] = "v4 Session Expiration: nothing due";
// "If the state is not ENCRYPTED_MESSAGES: If this is the first DH ratchet
// after a DAKE, store this message for a configurable, short amount of
// time" and, on Auth-I, "If there are stored received Data Messages, remove
// them from storage": read then, delivered only if they verify under the
// new ratchet (docs/decisions/0014-v4-early-data-messages.md).
inline constexpr char kDataEarly[] =
    "v4 Receiving a Data Message: not ENCRYPTED_MESSAGES, the first DH ratchet after a DAKE "
    "(store it); decision 0014";
inline constexpr char kStoredRead[] =
    "v4 Receiving an Auth-I Message: stored received Data Messages removed from storage, each "
    "read if it verifies under the new ratchet; decision 0014";
inline constexpr char kStoredDropped[] =
    "v4 Receiving an Auth-I Message: a stored Data Message that does not verify is dropped; "
    "decision 0014";
inline constexpr char kStoredExpired[] =
    "v4 Receiving a Data Message: stored \"for a configurable, short amount of time\" (deleted "
    "after it); decision 0014";
// A DAKE that never completes keeps ephemeral secrets (and, after Auth-R,
// the shared secret K): abandoned after the session expiration time, as an
// established session would be (decision 0014, "A stale DAKE").
inline constexpr char kDakeExpiry[] =
    "v4 Session Expiration, applied to a DAKE in progress (its keys are deleted); decision 0014";
// Decision 0045: the peer ended a v2 conversation (it lives in the
// session's master, MSGSTATE_FINISHED) and then offers v4. The master
// becomes a new v4 conversation that takes FINISHED over, so the user's
// messages are still not "accidentally" sent "in plaintext" ("FINISHED");
// the offer is then handled by FINISHED's row (a query starts the DAKE).
inline constexpr char kTakeOver[] =
    "v4 Protocol States: FINISHED (taken over from the v2/v3 conversation the peer ended: "
    "outgoing messages are still not delivered); decision 0045";
// Decision 0050: the user ends the session's selected conversation; a DAKE
// in flight in any other instance belongs to that end (its secrets do not
// outlive it, and a restart's Identity message, which has no receiver
// instance tag, is not ignored by a WAITING_AUTH_I left behind). An
// established conversation of another instance is a separate conversation
// and stays, as does FINISHED (the peer ended that one).
inline constexpr char kEndElsewhere[] =
    "v4 User requests to end an OTRv4 Conversation, in another instance of the session: a DAKE "
    "in progress here is forgotten, an established conversation stays; decision 0050";
// Only a new conversation, in START, is put in place of another.
inline constexpr char kTakeOverLate[] =
    "v4 Protocol States: a conversation already under way is not replaced (ignore); "
    "decision 0045";

// One row per line reads like the spec.
// clang-format off
inline constexpr ProtocolRow kProtocolTable[] = {
    // Plaintext without the tag.
    {S::kStart, E::kPlaintext, G::kWarnUnencrypted, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kStart, kPlain},
    {S::kStart, E::kPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kStart, kPlain},
    {S::kWaitingAuthR, E::kPlaintext, G::kWarnUnencrypted, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kWaitingAuthR, kPlain},
    {S::kWaitingAuthR, E::kPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kWaitingAuthR, kPlain},
    {S::kWaitingAuthI, E::kPlaintext, G::kWarnUnencrypted, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kWaitingAuthI, kPlain},
    {S::kWaitingAuthI, E::kPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kWaitingAuthI, kPlain},
    {S::kEncrypted, E::kPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncrypted, kPlain},
    {S::kEncryptedWaitingAuthR, E::kPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncryptedWaitingAuthR, kPlain},
    {S::kEncryptedWaitingAuthI, E::kPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncryptedWaitingAuthI, kPlain},
    {S::kFinished, E::kPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kFinished, kPlain},

    // Plaintext with the tag ("If the tag offers OTR version 4 and version 4 is allowed").
    {S::kStart, E::kTaggedPlaintext, G::kTagStartsDakeWarn, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived, A::kSendIdentity}, S::kWaitingAuthR, kTagged},
    {S::kStart, E::kTaggedPlaintext, G::kTagStartsDake, {A::kDisplay, A::kNotePlaintextReceived, A::kSendIdentity}, S::kWaitingAuthR, kTagged},
    {S::kStart, E::kTaggedPlaintext, G::kWarnUnencrypted, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kStart, kTagged},
    {S::kStart, E::kTaggedPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kStart, kTagged},
    {S::kWaitingAuthR, E::kTaggedPlaintext, G::kWarnUnencrypted, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kWaitingAuthR, kTaggedDake},
    {S::kWaitingAuthR, E::kTaggedPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kWaitingAuthR, kTaggedDake},
    {S::kWaitingAuthI, E::kTaggedPlaintext, G::kWarnUnencrypted, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kWaitingAuthI, kTaggedDake},
    {S::kWaitingAuthI, E::kTaggedPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kWaitingAuthI, kTaggedDake},
    {S::kEncrypted, E::kTaggedPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncrypted, kTagged},
    {S::kEncryptedWaitingAuthR, E::kTaggedPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncryptedWaitingAuthR, kTagged},
    {S::kEncryptedWaitingAuthI, E::kTaggedPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncryptedWaitingAuthI, kTagged},
    {S::kFinished, E::kTaggedPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kFinished, kTagged},

    // Query Message ("If the Query Message offers OTR version 4 and version 4 is allowed").
    {S::kStart, E::kQuery, G::kQueryOffersV4, {A::kSendIdentity}, S::kWaitingAuthR, kQueryS},
    {S::kStart, E::kQuery, G::kAlways, {A::kIgnore}, S::kStart, kQueryS},
    {S::kWaitingAuthR, E::kQuery, G::kQueryOffersV4, {A::kResendIdentity}, S::kWaitingAuthR, kQueryS},
    {S::kWaitingAuthR, E::kQuery, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kQueryS},
    {S::kWaitingAuthI, E::kQuery, G::kQueryOffersV4, {A::kSendIdentity}, S::kWaitingAuthR, kQueryS},
    {S::kWaitingAuthI, E::kQuery, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kQueryS},
    {S::kEncrypted, E::kQuery, G::kQueryOffersV4, {A::kSendIdentity}, S::kEncryptedWaitingAuthR, kQueryEnc},
    {S::kEncrypted, E::kQuery, G::kAlways, {A::kIgnore}, S::kEncrypted, kQueryEnc},
    {S::kEncryptedWaitingAuthR, E::kQuery, G::kQueryOffersV4, {A::kResendIdentity}, S::kEncryptedWaitingAuthR, kQueryEnc},
    {S::kEncryptedWaitingAuthR, E::kQuery, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kQueryEnc},
    {S::kEncryptedWaitingAuthI, E::kQuery, G::kQueryOffersV4, {A::kSendIdentity}, S::kEncryptedWaitingAuthR, kQueryEnc},
    {S::kEncryptedWaitingAuthI, E::kQuery, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kQueryEnc},
    {S::kFinished, E::kQuery, G::kQueryOffersV4, {A::kSendIdentity}, S::kWaitingAuthR, kQueryS},
    {S::kFinished, E::kQuery, G::kAlways, {A::kIgnore}, S::kFinished, kQueryS},

    // Error Message.
    {S::kStart, E::kError, G::kErrorCodeKnown, {A::kDisplayError}, S::kStart, kErrorS},
    {S::kStart, E::kError, G::kAlways, {A::kIgnore}, S::kStart, kErrorS},
    {S::kWaitingAuthR, E::kError, G::kErrorCodeKnown, {A::kDisplayError}, S::kWaitingAuthR, kErrorS},
    {S::kWaitingAuthR, E::kError, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kErrorS},
    {S::kWaitingAuthI, E::kError, G::kErrorCodeKnown, {A::kDisplayError}, S::kWaitingAuthI, kErrorS},
    {S::kWaitingAuthI, E::kError, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kErrorS},
    {S::kEncrypted, E::kError, G::kErrorCodeKnown, {A::kDisplayError, A::kAllowRetransmit}, S::kEncrypted, kErrorS},
    {S::kEncrypted, E::kError, G::kAlways, {A::kIgnore}, S::kEncrypted, kErrorS},
    {S::kEncryptedWaitingAuthR, E::kError, G::kErrorCodeKnown, {A::kDisplayError, A::kAllowRetransmit}, S::kEncryptedWaitingAuthR, kErrorS},
    {S::kEncryptedWaitingAuthR, E::kError, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kErrorS},
    {S::kEncryptedWaitingAuthI, E::kError, G::kErrorCodeKnown, {A::kDisplayError, A::kAllowRetransmit}, S::kEncryptedWaitingAuthI, kErrorS},
    {S::kEncryptedWaitingAuthI, E::kError, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kErrorS},
    {S::kFinished, E::kError, G::kErrorCodeKnown, {A::kDisplayError}, S::kFinished, kErrorS},
    {S::kFinished, E::kError, G::kAlways, {A::kIgnore}, S::kFinished, kErrorS},

    // Identity message.
    {S::kStart, E::kIdentity, G::kIdentityValid, {A::kSendAuthR}, S::kWaitingAuthI, kIdStart},
    {S::kStart, E::kIdentity, G::kAlways, {A::kIgnore}, S::kStart, kIdOther},
    {S::kWaitingAuthR, E::kIdentity, G::kIdentityValidOursHigher, {A::kResendIdentity}, S::kWaitingAuthR, kIdWaitR},
    {S::kWaitingAuthR, E::kIdentity, G::kIdentityValid, {A::kSendAuthR}, S::kWaitingAuthI, kIdWaitR},
    {S::kWaitingAuthR, E::kIdentity, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kIdOther},
    {S::kWaitingAuthI, E::kIdentity, G::kIdentityAnswered, {A::kResendAuthR}, S::kWaitingAuthI, kIdResent},
    {S::kWaitingAuthI, E::kIdentity, G::kIdentityValidForUs, {A::kSendAuthR}, S::kWaitingAuthI, kIdWaitI},
    {S::kWaitingAuthI, E::kIdentity, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kIdOther},
    {S::kEncrypted, E::kIdentity, G::kIdentityValid, {A::kSendAuthR}, S::kEncryptedWaitingAuthI, kIdEnc},
    {S::kEncrypted, E::kIdentity, G::kAlways, {A::kIgnore}, S::kEncrypted, kIdOther},
    {S::kEncryptedWaitingAuthR, E::kIdentity, G::kIdentityValidOursHigher, {A::kResendIdentity}, S::kEncryptedWaitingAuthR, kIdWaitR},
    {S::kEncryptedWaitingAuthR, E::kIdentity, G::kIdentityValid, {A::kSendAuthR}, S::kEncryptedWaitingAuthI, kIdWaitR},
    {S::kEncryptedWaitingAuthR, E::kIdentity, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kIdOther},
    {S::kEncryptedWaitingAuthI, E::kIdentity, G::kIdentityAnswered, {A::kResendAuthR}, S::kEncryptedWaitingAuthI, kIdResent},
    {S::kEncryptedWaitingAuthI, E::kIdentity, G::kIdentityValidForUs, {A::kSendAuthR}, S::kEncryptedWaitingAuthI, kIdWaitI},
    {S::kEncryptedWaitingAuthI, E::kIdentity, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kIdOther},
    {S::kFinished, E::kIdentity, G::kIdentityValid, {A::kSendAuthR}, S::kWaitingAuthI, kIdFinished},
    {S::kFinished, E::kIdentity, G::kAlways, {A::kIgnore}, S::kFinished, kIdOther},

    // Auth-R message.
    {S::kStart, E::kAuthR, G::kAlways, {A::kIgnore}, S::kStart, kAuthRIgnore},
    {S::kWaitingAuthR, E::kAuthR, G::kAuthRValid, {A::kSendAuthI, A::kEstablish, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAuthRS},
    {S::kWaitingAuthR, E::kAuthR, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kAuthRIgnore},
    {S::kWaitingAuthI, E::kAuthR, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kAuthRIgnore},
    {S::kEncrypted, E::kAuthR, G::kAlways, {A::kIgnore}, S::kEncrypted, kAuthRIgnore},
    {S::kEncryptedWaitingAuthR, E::kAuthR, G::kAuthRValid, {A::kSendAuthI, A::kResetSmp, A::kEstablish, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAuthREnc},
    {S::kEncryptedWaitingAuthR, E::kAuthR, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kAuthRIgnore},
    {S::kEncryptedWaitingAuthI, E::kAuthR, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kAuthRIgnore},
    {S::kFinished, E::kAuthR, G::kAlways, {A::kIgnore}, S::kFinished, kAuthRIgnore},

    // Auth-I message.
    {S::kStart, E::kAuthI, G::kAlways, {A::kIgnore}, S::kStart, kAuthIIgnore},
    {S::kWaitingAuthR, E::kAuthI, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kAuthIIgnore},
    {S::kWaitingAuthI, E::kAuthI, G::kAuthIValid, {A::kReadStoredData, A::kEstablish, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAuthIS},
    {S::kWaitingAuthI, E::kAuthI, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kAuthIIgnore},
    {S::kEncrypted, E::kAuthI, G::kAlways, {A::kIgnore}, S::kEncrypted, kAuthIIgnore},
    {S::kEncryptedWaitingAuthR, E::kAuthI, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kAuthIIgnore},
    {S::kEncryptedWaitingAuthI, E::kAuthI, G::kAuthIValid, {A::kReadStoredData, A::kResetSmp, A::kEstablish, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAuthIEnc},
    {S::kEncryptedWaitingAuthI, E::kAuthI, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kAuthIIgnore},
    {S::kFinished, E::kAuthI, G::kAlways, {A::kIgnore}, S::kFinished, kAuthIIgnore},

    // Non-Interactive-Auth (and a Prekey Message, which only a prekey server sends).
    {S::kStart, E::kNonInteractiveAuth, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kStart, kOfflineRefused},
    {S::kStart, E::kNonInteractiveAuth, G::kNonInteractiveAuthValid, {A::kForgetDake, A::kResetSmp, A::kEstablishOffline, A::kConsumePrekey, A::kReportSecure}, S::kEncrypted, kOfflineReceive},
    {S::kStart, E::kNonInteractiveAuth, G::kAlways, {A::kReportOfflineRefused}, S::kStart, kOfflineIgnore},
    {S::kWaitingAuthR, E::kNonInteractiveAuth, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kWaitingAuthR, kOfflineRefused},
    {S::kWaitingAuthR, E::kNonInteractiveAuth, G::kNonInteractiveAuthValid, {A::kForgetDake, A::kResetSmp, A::kEstablishOffline, A::kConsumePrekey, A::kReportSecure}, S::kEncrypted, kOfflineReceive},
    {S::kWaitingAuthR, E::kNonInteractiveAuth, G::kAlways, {A::kReportOfflineRefused}, S::kWaitingAuthR, kOfflineIgnore},
    {S::kWaitingAuthI, E::kNonInteractiveAuth, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kWaitingAuthI, kOfflineRefused},
    {S::kWaitingAuthI, E::kNonInteractiveAuth, G::kNonInteractiveAuthValid, {A::kForgetDake, A::kResetSmp, A::kEstablishOffline, A::kConsumePrekey, A::kReportSecure}, S::kEncrypted, kOfflineReceive},
    {S::kWaitingAuthI, E::kNonInteractiveAuth, G::kAlways, {A::kReportOfflineRefused}, S::kWaitingAuthI, kOfflineIgnore},
    {S::kEncrypted, E::kNonInteractiveAuth, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kEncrypted, kOfflineRefused},
    {S::kEncrypted, E::kNonInteractiveAuth, G::kNonInteractiveAuthValid, {A::kForgetDake, A::kResetSmp, A::kEstablishOffline, A::kConsumePrekey, A::kReportSecure}, S::kEncrypted, kOfflineReceive},
    {S::kEncrypted, E::kNonInteractiveAuth, G::kAlways, {A::kReportOfflineRefused}, S::kEncrypted, kOfflineIgnore},
    {S::kEncryptedWaitingAuthR, E::kNonInteractiveAuth, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kEncryptedWaitingAuthR, kOfflineRefused},
    {S::kEncryptedWaitingAuthR, E::kNonInteractiveAuth, G::kNonInteractiveAuthValid, {A::kForgetDake, A::kResetSmp, A::kEstablishOffline, A::kConsumePrekey, A::kReportSecure}, S::kEncrypted, kOfflineReceive},
    {S::kEncryptedWaitingAuthR, E::kNonInteractiveAuth, G::kAlways, {A::kReportOfflineRefused}, S::kEncryptedWaitingAuthR, kOfflineIgnore},
    {S::kEncryptedWaitingAuthI, E::kNonInteractiveAuth, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kEncryptedWaitingAuthI, kOfflineRefused},
    {S::kEncryptedWaitingAuthI, E::kNonInteractiveAuth, G::kNonInteractiveAuthValid, {A::kForgetDake, A::kResetSmp, A::kEstablishOffline, A::kConsumePrekey, A::kReportSecure}, S::kEncrypted, kOfflineReceive},
    {S::kEncryptedWaitingAuthI, E::kNonInteractiveAuth, G::kAlways, {A::kReportOfflineRefused}, S::kEncryptedWaitingAuthI, kOfflineIgnore},
    {S::kFinished, E::kNonInteractiveAuth, G::kAlways, {A::kIgnore}, S::kFinished, kOfflineFinished},

    // Data Message.
    {S::kStart, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kStart, kFlag},
    {S::kStart, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError2}, S::kStart, kDataNotEnc},
    {S::kWaitingAuthR, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kWaitingAuthR, kFlag},
    {S::kWaitingAuthR, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError2}, S::kWaitingAuthR, kDataNotEnc},
    {S::kWaitingAuthI, E::kData, G::kFirstRatchetAfterDake, {A::kStoreData}, S::kWaitingAuthI, kDataEarly},
    {S::kWaitingAuthI, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kWaitingAuthI, kFlag},
    {S::kWaitingAuthI, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError2}, S::kWaitingAuthI, kDataNotEnc},
    {S::kEncrypted, E::kData, G::kDataReadable, {A::kDeliverData}, S::kEncrypted, kDataS},
    {S::kEncrypted, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kEncrypted, kFlag},
    {S::kEncrypted, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError1}, S::kEncrypted, kDataBad},
    {S::kEncryptedWaitingAuthR, E::kData, G::kDataReadable, {A::kDeliverData}, S::kEncryptedWaitingAuthR, kDataS},
    {S::kEncryptedWaitingAuthR, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kEncryptedWaitingAuthR, kFlag},
    {S::kEncryptedWaitingAuthR, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError1}, S::kEncryptedWaitingAuthR, kDataBad},
    {S::kEncryptedWaitingAuthI, E::kData, G::kDataReadable, {A::kDeliverData}, S::kEncryptedWaitingAuthI, kDataS},
    {S::kEncryptedWaitingAuthI, E::kData, G::kFirstRatchetAfterDake, {A::kStoreData}, S::kEncryptedWaitingAuthI, kDataEarly},
    {S::kEncryptedWaitingAuthI, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kEncryptedWaitingAuthI, kFlag},
    {S::kEncryptedWaitingAuthI, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError1}, S::kEncryptedWaitingAuthI, kDataBad},
    {S::kFinished, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kFinished, kFlag},
    {S::kFinished, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendError2}, S::kFinished, kDataNotEnc},

    // TLV 1 in a readable Data Message (raised by kDeliverData): a DAKE in progress goes too.
    {S::kStart, E::kPeerDisconnected, G::kAlways, {A::kIgnore}, S::kStart, kTlv1},
    {S::kWaitingAuthR, E::kPeerDisconnected, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kTlv1},
    {S::kWaitingAuthI, E::kPeerDisconnected, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kTlv1},
    {S::kEncrypted, E::kPeerDisconnected, G::kAlways, {A::kForgetConversation, A::kResetSmp, A::kReportPeerEnded}, S::kFinished, kTlv1},
    {S::kEncryptedWaitingAuthR, E::kPeerDisconnected, G::kAlways, {A::kForgetConversation, A::kForgetDake, A::kResetSmp, A::kReportPeerEnded}, S::kFinished, kTlv1},
    {S::kEncryptedWaitingAuthI, E::kPeerDisconnected, G::kAlways, {A::kForgetConversation, A::kForgetDake, A::kResetSmp, A::kReportPeerEnded}, S::kFinished, kTlv1},
    {S::kFinished, E::kPeerDisconnected, G::kAlways, {A::kIgnore}, S::kFinished, kTlv1},

    // After a readable Data Message (raised by kDeliverData).
    {S::kStart, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kStart, kHeartbeat},
    {S::kWaitingAuthR, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kHeartbeat},
    {S::kWaitingAuthI, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kHeartbeat},
    {S::kEncrypted, E::kDataAccepted, G::kHeartbeatDue, {A::kSendHeartbeat}, S::kEncrypted, kHeartbeat},
    {S::kEncrypted, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kEncrypted, kHeartbeat},
    {S::kEncryptedWaitingAuthR, E::kDataAccepted, G::kHeartbeatDue, {A::kSendHeartbeat}, S::kEncryptedWaitingAuthR, kHeartbeat},
    {S::kEncryptedWaitingAuthR, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kHeartbeat},
    {S::kEncryptedWaitingAuthI, E::kDataAccepted, G::kHeartbeatDue, {A::kSendHeartbeat}, S::kEncryptedWaitingAuthI, kHeartbeat},
    {S::kEncryptedWaitingAuthI, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kHeartbeat},
    {S::kFinished, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kFinished, kHeartbeat},

    // A Data Message stored before the DAKE completed, read after Auth-I (raised by kReadStoredData).
    {S::kStart, E::kStoredData, G::kAlways, {A::kIgnore}, S::kStart, kStoredDropped},
    {S::kWaitingAuthR, E::kStoredData, G::kAlways, {A::kIgnore}, S::kWaitingAuthR, kStoredDropped},
    {S::kWaitingAuthI, E::kStoredData, G::kAlways, {A::kIgnore}, S::kWaitingAuthI, kStoredDropped},
    {S::kEncrypted, E::kStoredData, G::kDataReadable, {A::kDeliverData}, S::kEncrypted, kStoredRead},
    {S::kEncrypted, E::kStoredData, G::kAlways, {A::kIgnore}, S::kEncrypted, kStoredDropped},
    {S::kEncryptedWaitingAuthR, E::kStoredData, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthR, kStoredDropped},
    {S::kEncryptedWaitingAuthI, E::kStoredData, G::kAlways, {A::kIgnore}, S::kEncryptedWaitingAuthI, kStoredDropped},
    {S::kFinished, E::kStoredData, G::kAlways, {A::kIgnore}, S::kFinished, kStoredDropped},

    // User starts OTR: a query in the v3-compatible mode, an Identity message in the v4-only modes.
    {S::kStart, E::kUserStart, G::kV3Compatible, {A::kSendQuery}, S::kStart, kStartS},
    {S::kStart, E::kUserStart, G::kAlways, {A::kSendIdentity}, S::kWaitingAuthR, kStartS},
    {S::kWaitingAuthR, E::kUserStart, G::kV3Compatible, {A::kSendQuery}, S::kWaitingAuthR, kStartS},
    {S::kWaitingAuthR, E::kUserStart, G::kAlways, {A::kResendIdentity}, S::kWaitingAuthR, kStartS},
    {S::kWaitingAuthI, E::kUserStart, G::kV3Compatible, {A::kSendQuery}, S::kWaitingAuthI, kStartS},
    {S::kWaitingAuthI, E::kUserStart, G::kAlways, {A::kSendIdentity}, S::kWaitingAuthR, kStartS},
    {S::kEncrypted, E::kUserStart, G::kAlways, {A::kSendIdentity}, S::kEncryptedWaitingAuthR, kStartEnc},
    {S::kEncryptedWaitingAuthR, E::kUserStart, G::kAlways, {A::kResendIdentity}, S::kEncryptedWaitingAuthR, kStartEnc},
    {S::kEncryptedWaitingAuthI, E::kUserStart, G::kAlways, {A::kSendIdentity}, S::kEncryptedWaitingAuthR, kStartEnc},
    {S::kFinished, E::kUserStart, G::kV3Compatible, {A::kSendQuery}, S::kFinished, kStartS},
    {S::kFinished, E::kUserStart, G::kAlways, {A::kSendIdentity}, S::kWaitingAuthR, kStartS},

    // User starts a conversation interactively (an Identity message in any mode).
    {S::kStart, E::kUserStartInteractive, G::kAlways, {A::kSendIdentity}, S::kWaitingAuthR, kInteractive},
    {S::kWaitingAuthR, E::kUserStartInteractive, G::kAlways, {A::kResendIdentity}, S::kWaitingAuthR, kInteractive},
    {S::kWaitingAuthI, E::kUserStartInteractive, G::kAlways, {A::kSendIdentity}, S::kWaitingAuthR, kInteractive},
    {S::kEncrypted, E::kUserStartInteractive, G::kAlways, {A::kSendIdentity}, S::kEncryptedWaitingAuthR, kStartEnc},
    {S::kEncryptedWaitingAuthR, E::kUserStartInteractive, G::kAlways, {A::kResendIdentity}, S::kEncryptedWaitingAuthR, kStartEnc},
    {S::kEncryptedWaitingAuthI, E::kUserStartInteractive, G::kAlways, {A::kSendIdentity}, S::kEncryptedWaitingAuthR, kStartEnc},
    {S::kFinished, E::kUserStartInteractive, G::kAlways, {A::kSendIdentity}, S::kWaitingAuthR, kInteractive},

    // User sends to an offline participant (issue 18).
    {S::kStart, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kStart, kOfflineRefused},
    {S::kStart, E::kUserStartOffline, G::kAlways, {A::kForgetDake, A::kResetSmp, A::kStartOfflineDake, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOffline},
    {S::kWaitingAuthR, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kWaitingAuthR, kOfflineRefused},
    {S::kWaitingAuthR, E::kUserStartOffline, G::kAlways, {A::kForgetDake, A::kResetSmp, A::kStartOfflineDake, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOffline},
    {S::kWaitingAuthI, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kWaitingAuthI, kOfflineRefused},
    {S::kWaitingAuthI, E::kUserStartOffline, G::kAlways, {A::kForgetDake, A::kResetSmp, A::kStartOfflineDake, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOffline},
    {S::kEncrypted, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kEncrypted, kOfflineRefused},
    {S::kEncrypted, E::kUserStartOffline, G::kAlways, {A::kStartOfflineDake, A::kForgetDake, A::kResetSmp, A::kSendDisconnect, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOfflineEnc},
    {S::kEncryptedWaitingAuthR, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kEncryptedWaitingAuthR, kOfflineRefused},
    {S::kEncryptedWaitingAuthR, E::kUserStartOffline, G::kAlways, {A::kStartOfflineDake, A::kForgetDake, A::kResetSmp, A::kSendDisconnect, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOfflineEnc},
    {S::kEncryptedWaitingAuthI, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kEncryptedWaitingAuthI, kOfflineRefused},
    {S::kEncryptedWaitingAuthI, E::kUserStartOffline, G::kAlways, {A::kStartOfflineDake, A::kForgetDake, A::kResetSmp, A::kSendDisconnect, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOfflineEnc},
    {S::kFinished, E::kUserStartOffline, G::kInteractiveOnly, {A::kRefuseOffline, A::kReportOfflineRefused}, S::kFinished, kOfflineRefused},
    {S::kFinished, E::kUserStartOffline, G::kAlways, {A::kForgetDake, A::kResetSmp, A::kStartOfflineDake, A::kSendNonInteractiveAuth, A::kReportSecure}, S::kEncrypted, kSendOffline},

    // User sends a message.
    {S::kStart, E::kUserSend, G::kTagPending, {A::kSendTaggedPlaintext}, S::kStart, kSendStart},
    {S::kStart, E::kUserSend, G::kPlaintextAllowed, {A::kSendPlaintext}, S::kStart, kSendStart},
    {S::kStart, E::kUserSend, G::kV3Compatible, {A::kHoldMessage, A::kReportHeldBack, A::kSendQuery}, S::kStart, kSendStart},
    {S::kStart, E::kUserSend, G::kAlways, {A::kHoldMessage, A::kReportHeldBack, A::kSendIdentity}, S::kWaitingAuthR, kSendStart},
    {S::kWaitingAuthR, E::kUserSend, G::kAlways, {A::kHoldMessage, A::kReportHeldBack}, S::kWaitingAuthR, kSendS},
    {S::kWaitingAuthI, E::kUserSend, G::kAlways, {A::kHoldMessage, A::kReportHeldBack}, S::kWaitingAuthI, kSendS},
    {S::kEncrypted, E::kUserSend, G::kAlways, {A::kSendEncrypted, A::kStoreMessage}, S::kEncrypted, kSendS},
    {S::kEncryptedWaitingAuthR, E::kUserSend, G::kAlways, {A::kSendEncrypted, A::kStoreMessage}, S::kEncryptedWaitingAuthR, kSendS},
    {S::kEncryptedWaitingAuthI, E::kUserSend, G::kAlways, {A::kSendEncrypted, A::kStoreMessage}, S::kEncryptedWaitingAuthI, kSendS},
    {S::kFinished, E::kUserSend, G::kAlways, {A::kReportCannotSend}, S::kFinished, kSendFinished},

    // User ends the conversation.
    {S::kStart, E::kUserEnd, G::kAlways, {A::kIgnore}, S::kStart, kEnd},
    {S::kWaitingAuthR, E::kUserEnd, G::kAlways, {A::kForgetDake, A::kArmWhitespaceTag}, S::kStart, kEndDake},
    {S::kWaitingAuthI, E::kUserEnd, G::kAlways, {A::kForgetDake, A::kArmWhitespaceTag}, S::kStart, kEndDake},
    {S::kEncrypted, E::kUserEnd, G::kAlways, {A::kSendDisconnect, A::kForgetConversation, A::kResetSmp, A::kArmWhitespaceTag, A::kReportInsecure}, S::kStart, kEnd},
    {S::kEncryptedWaitingAuthR, E::kUserEnd, G::kAlways, {A::kSendDisconnect, A::kForgetConversation, A::kForgetDake, A::kResetSmp, A::kArmWhitespaceTag, A::kReportInsecure}, S::kStart, kEndDake},
    {S::kEncryptedWaitingAuthI, E::kUserEnd, G::kAlways, {A::kSendDisconnect, A::kForgetConversation, A::kForgetDake, A::kResetSmp, A::kArmWhitespaceTag, A::kReportInsecure}, S::kStart, kEndDake},
    {S::kFinished, E::kUserEnd, G::kAlways, {A::kArmWhitespaceTag, A::kReportInsecure}, S::kStart, kEnd},

    // The user ends another instance's conversation (decision 0050).
    {S::kStart, E::kUserEndElsewhere, G::kAlways, {A::kNone}, S::kStart, kEndElsewhere},
    {S::kWaitingAuthR, E::kUserEndElsewhere, G::kAlways, {A::kForgetDake, A::kArmWhitespaceTag}, S::kStart, kEndElsewhere},
    {S::kWaitingAuthI, E::kUserEndElsewhere, G::kAlways, {A::kForgetDake, A::kArmWhitespaceTag}, S::kStart, kEndElsewhere},
    {S::kEncrypted, E::kUserEndElsewhere, G::kAlways, {A::kNone}, S::kEncrypted, kEndElsewhere},
    {S::kEncryptedWaitingAuthR, E::kUserEndElsewhere, G::kAlways, {A::kForgetDake}, S::kEncrypted, kEndElsewhere},
    {S::kEncryptedWaitingAuthI, E::kUserEndElsewhere, G::kAlways, {A::kForgetDake}, S::kEncrypted, kEndElsewhere},
    {S::kFinished, E::kUserEndElsewhere, G::kAlways, {A::kNone}, S::kFinished, kEndElsewhere},

    // Time: session expiration and the deletion of stored message keys.
    {S::kStart, E::kTimeout, G::kAlways, {A::kNone}, S::kStart, kNothingDue},
    {S::kWaitingAuthR, E::kTimeout, G::kDakeStale, {A::kForgetDake, A::kArmWhitespaceTag}, S::kStart, kDakeExpiry},
    {S::kWaitingAuthR, E::kTimeout, G::kAlways, {A::kNone}, S::kWaitingAuthR, kNothingDue},
    {S::kWaitingAuthI, E::kTimeout, G::kDakeStale, {A::kForgetDake, A::kArmWhitespaceTag}, S::kStart, kDakeExpiry},
    {S::kWaitingAuthI, E::kTimeout, G::kStoredDataDue, {A::kDropExpiredData}, S::kWaitingAuthI, kStoredExpired},
    {S::kWaitingAuthI, E::kTimeout, G::kAlways, {A::kNone}, S::kWaitingAuthI, kNothingDue},
    {S::kEncrypted, E::kTimeout, G::kSessionExpired, {A::kExpireSession, A::kResetSmp, A::kReportInsecure}, S::kFinished, kExpiry},
    {S::kEncrypted, E::kTimeout, G::kStoredKeysDue, {A::kDeleteStoredKeys}, S::kEncrypted, kStoredKeys},
    {S::kEncrypted, E::kTimeout, G::kAlways, {A::kNone}, S::kEncrypted, kNothingDue},
    {S::kEncryptedWaitingAuthR, E::kTimeout, G::kSessionExpired, {A::kExpireSession, A::kForgetDake, A::kResetSmp, A::kReportInsecure}, S::kFinished, kExpiry},
    {S::kEncryptedWaitingAuthR, E::kTimeout, G::kDakeStale, {A::kForgetDake}, S::kEncrypted, kDakeExpiry},
    {S::kEncryptedWaitingAuthR, E::kTimeout, G::kStoredKeysDue, {A::kDeleteStoredKeys}, S::kEncryptedWaitingAuthR, kStoredKeys},
    {S::kEncryptedWaitingAuthR, E::kTimeout, G::kAlways, {A::kNone}, S::kEncryptedWaitingAuthR, kNothingDue},
    {S::kEncryptedWaitingAuthI, E::kTimeout, G::kSessionExpired, {A::kExpireSession, A::kForgetDake, A::kResetSmp, A::kReportInsecure}, S::kFinished, kExpiry},
    {S::kEncryptedWaitingAuthI, E::kTimeout, G::kDakeStale, {A::kForgetDake}, S::kEncrypted, kDakeExpiry},
    {S::kEncryptedWaitingAuthI, E::kTimeout, G::kStoredDataDue, {A::kDropExpiredData}, S::kEncryptedWaitingAuthI, kStoredExpired},
    {S::kEncryptedWaitingAuthI, E::kTimeout, G::kStoredKeysDue, {A::kDeleteStoredKeys}, S::kEncryptedWaitingAuthI, kStoredKeys},
    {S::kEncryptedWaitingAuthI, E::kTimeout, G::kAlways, {A::kNone}, S::kEncryptedWaitingAuthI, kNothingDue},
    {S::kFinished, E::kTimeout, G::kAlways, {A::kNone}, S::kFinished, kNothingDue},

    // The session replaces a v2/v3 conversation in MSGSTATE_FINISHED with this new one (decision 0045).
    {S::kStart, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kFinished, kTakeOver},
    {S::kWaitingAuthR, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kWaitingAuthR, kTakeOverLate},
    {S::kWaitingAuthI, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kWaitingAuthI, kTakeOverLate},
    {S::kEncrypted, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kEncrypted, kTakeOverLate},
    {S::kEncryptedWaitingAuthR, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kEncryptedWaitingAuthR, kTakeOverLate},
    {S::kEncryptedWaitingAuthI, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kEncryptedWaitingAuthI, kTakeOverLate},
    {S::kFinished, E::kTakeOverFinished, G::kAlways, {A::kNone}, S::kFinished, kTakeOverLate},
};
// clang-format on

}  // namespace protocol_table_internal

inline constexpr std::span<const ProtocolRow> kProtocolTable(
    protocol_table_internal::kProtocolTable);

static_assert(
    table::IsTotal<ProtocolRow, ProtocolState, ProtocolEvent, ProtocolGuard>(kProtocolTable),
    "every (state, event) pair must end in an unguarded row");

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_STATE_CONVERSATION_TABLE_H_
