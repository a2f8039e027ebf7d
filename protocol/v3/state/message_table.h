// The v2/v3 message state machine (msgstate) as a transition table.
// otr v3 spec, "The protocol state machine" > "Message state" and
// "State transitions" (plaintext, query, error and data messages, and the
// user's start / end / send actions).
#ifndef OTR_PROTOCOL_V3_STATE_MESSAGE_TABLE_H_
#define OTR_PROTOCOL_V3_STATE_MESSAGE_TABLE_H_

#include <span>

#include "protocol/table/enum.h"
#include "protocol/table/table.h"
#include "protocol/table/trace.h"

namespace otr::v3 {

#define OTR_V3_MESSAGE_STATES(X)      \
  X(kPlaintext, "MSGSTATE_PLAINTEXT") \
  X(kEncrypted, "MSGSTATE_ENCRYPTED") \
  X(kFinished, "MSGSTATE_FINISHED")
OTR_TABLE_ENUM(MessageState, OTR_V3_MESSAGE_STATES)

#define OTR_V3_MESSAGE_EVENTS(X)                                           \
  X(kPlaintext, "receive plaintext without the whitespace tag")            \
  X(kTaggedPlaintext, "receive plaintext with the whitespace tag")         \
  X(kQuery, "receive Query Message")                                       \
  X(kError, "receive Error Message")                                       \
  X(kData, "receive Data Message")                                         \
  X(kAkeSucceeded, "the AKE completed (authstate action)")                 \
  X(kPeerEnded, "a verified Data Message carried TLV 1 (disconnected)")    \
  X(kDataAccepted, "a Data Message was accepted (raised by kDeliverData)") \
  X(kUserStart, "user requests to start an OTR conversation")              \
  X(kUserEnd, "user requests to end an OTR conversation")                  \
  X(kUserSend, "user types a message to be sent")
OTR_TABLE_ENUM(MessageEvent, OTR_V3_MESSAGE_EVENTS)

#define OTR_V3_MESSAGE_GUARDS(X)                                                 \
  X(kAlways, "-")                                                                \
  X(kRequireEncryption, "REQUIRE_ENCRYPTION")                                    \
  X(kTagStartsAke, "WHITESPACE_START_AKE and the tag offers an allowed version") \
  X(kTagStartsAkeRequireEncryption, "as kTagStartsAke, and REQUIRE_ENCRYPTION")  \
  X(kQueryOffersAllowedVersion, "the query offers an allowed version")           \
  X(kErrorStartAke, "ERROR_START_AKE")                                           \
  X(kDataVerifies, "keyids known, MAC verifies, counter fresh")                  \
  X(kIgnoreUnreadable, "the message has the IGNORE_UNREADABLE flag")             \
  X(kWhitespaceTagPending,                                                       \
    "SEND_WHITESPACE_TAG and no plaintext received since entering "              \
    "PLAINTEXT")                                                                 \
  X(kHeartbeatDue, "nothing sent to the peer for the heartbeat time")
OTR_TABLE_ENUM(MessageGuard, OTR_V3_MESSAGE_GUARDS)

#define OTR_V3_MESSAGE_ACTIONS(X)                                                         \
  X(kNone, "-")                                                                           \
  X(kIgnore, "ignore the message")                                                        \
  X(kDisplay, "display the message")                                                      \
  X(kDisplayUnencryptedWarning, "display the message, warn it was received unencrypted")  \
  X(kNotePlaintextReceived, "note a plaintext was received (no more whitespace tags)")    \
  X(kStartAke, "start the AKE with the best offered version (authstate kStartAke)")       \
  X(kDisplayError, "display the error to the user")                                       \
  X(kSendQuery, "send a Query Message")                                                   \
  X(kStoreMessage, "store the plaintext for possible retransmission")                     \
  X(kHoldMessage, "hold the plaintext for the session to send once a peer is secure")     \
  X(kAllowRetransmit, "the peer could not read us: the stored message may be resent")     \
  X(kSendPlaintext, "send the message as plaintext")                                      \
  X(kSendTaggedPlaintext, "send the message with the whitespace tag")                     \
  X(kSendEncrypted, "encrypt the message and send a Data Message")                        \
  X(kReportCannotSend, "inform the user the message cannot be sent now")                  \
  X(kDeliverData, "decrypt, display the human part, handle TLVs, rotate keys")            \
  X(kSendHeartbeat, "send a heartbeat (an empty Data Message, IGNORE_UNREADABLE)")        \
  X(kReportUnreadable, "inform the user an unreadable message arrived")                   \
  X(kSendUnreadableError, "reply with an Error Message")                                  \
  X(kInstallSessionKeys, "take the AKE's keys as the session keys")                       \
  X(kReportSecure, "report: conversation is encrypted")                                   \
  X(kSendStoredMessage, "resend the recent stored message if the peer could not read it") \
  X(kForgetSessionKeys, "forget the session's keys and the plaintext kept for resending") \
  X(kResetSmp, "abandon SMP (smpstate kReset)")                                           \
  X(kAbandonAke, "forget any AKE in progress (authstate kAbandon)")                       \
  X(kReportPeerEnded, "report: the peer ended the conversation")                          \
  X(kSendDisconnect, "send a Data Message with TLV 1 (disconnected)")                     \
  X(kArmWhitespaceTag, "entering PLAINTEXT: whitespace tags may be sent again")           \
  X(kReportInsecure, "report: the conversation is no longer encrypted")                   \
  X(kReportHeldBack, "report: the message was held back until OTR is running")
OTR_TABLE_ENUM(MessageAction, OTR_V3_MESSAGE_ACTIONS)

using MessageRow = table::Row<MessageState, MessageEvent, MessageGuard, MessageAction, 6>;
inline constexpr table::Machine kMessageMachine{"v3 msgstate"};

namespace message_table_internal {

using S = MessageState;
using E = MessageEvent;
using G = MessageGuard;
using A = MessageAction;

inline constexpr char kPlain[] =
    "v3 State transitions: Receiving plaintext without the whitespace tag";
inline constexpr char kTagged[] =
    "v3 State transitions: Receiving plaintext with the whitespace tag";
inline constexpr char kQueryS[] = "v3 State transitions: Receiving a Query Message";
// "Store the plaintext message for possible retransmission" (User types a
// message): as libotr does, a message already sent encrypted is resent after
// a new AKE only when the peer answered with an Error Message (it could not
// read us); the user is told (kStoredMessageSent). A message held back by
// REQUIRE_ENCRYPTION belongs to the session, which gives it to one
// conversation once the user can see whom it goes to (decision 0006).
inline constexpr char kErrorS[] = "v3 State transitions: Receiving an Error Message";
inline constexpr char kDataS[] = "v3 State transitions: Receiving a Data Message";
inline constexpr char kFlag[] = "v3 Data Message: IGNORE_UNREADABLE";
inline constexpr char kAke[] = "v3 Authentication state: after the AKE, msgstate ENCRYPTED";
inline constexpr char kTlv1[] = "v3 Receiving a Data Message: TLV type 1 -> MSGSTATE_FINISHED";
inline constexpr char kStart[] = "v3 State transitions: User requests to start an OTR conversation";
// Ending also forgets an AKE in flight ("Key Management": securely forget;
// libotr clears its auth state on disconnect too), so a late AKE message
// cannot bring the conversation back and no exchange secret outlives it.
inline constexpr char kEnd[] = "v3 State transitions: User requests to end an OTR conversation";
inline constexpr char kSend[] = "v3 State transitions: User types a message to be sent";
// "If msgstate is MSGSTATE_FINISHED: Inform the user that the message cannot
// be sent at this time": dropped, as libotr drops it, never sent later.
inline constexpr char kHeartbeat[] =
    "v3 Data Message: heartbeat (\"If you have not sent a message to this correspondent in some "
    "(configurable) time, send a heartbeat message\")";

// One row per line reads like the spec.
// clang-format off
inline constexpr MessageRow kMessageTable[] = {
    // Plaintext without the tag.
    {S::kPlaintext, E::kPlaintext, G::kRequireEncryption, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kPlaintext, kPlain},
    {S::kPlaintext, E::kPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kPlaintext, kPlain},
    {S::kEncrypted, E::kPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncrypted, kPlain},
    {S::kFinished, E::kPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kFinished, kPlain},

    // Plaintext with the tag ("In any event, if WHITESPACE_START_AKE is set").
    {S::kPlaintext, E::kTaggedPlaintext, G::kTagStartsAkeRequireEncryption, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived, A::kStartAke}, S::kPlaintext, kTagged},
    {S::kPlaintext, E::kTaggedPlaintext, G::kTagStartsAke, {A::kDisplay, A::kNotePlaintextReceived, A::kStartAke}, S::kPlaintext, kTagged},
    {S::kPlaintext, E::kTaggedPlaintext, G::kRequireEncryption, {A::kDisplayUnencryptedWarning, A::kNotePlaintextReceived}, S::kPlaintext, kTagged},
    {S::kPlaintext, E::kTaggedPlaintext, G::kAlways, {A::kDisplay, A::kNotePlaintextReceived}, S::kPlaintext, kTagged},
    {S::kEncrypted, E::kTaggedPlaintext, G::kTagStartsAke, {A::kDisplayUnencryptedWarning, A::kStartAke}, S::kEncrypted, kTagged},
    {S::kEncrypted, E::kTaggedPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kEncrypted, kTagged},
    {S::kFinished, E::kTaggedPlaintext, G::kTagStartsAke, {A::kDisplayUnencryptedWarning, A::kStartAke}, S::kFinished, kTagged},
    {S::kFinished, E::kTaggedPlaintext, G::kAlways, {A::kDisplayUnencryptedWarning}, S::kFinished, kTagged},

    // Query Message.
    {S::kPlaintext, E::kQuery, G::kQueryOffersAllowedVersion, {A::kStartAke}, S::kPlaintext, kQueryS},
    {S::kPlaintext, E::kQuery, G::kAlways, {A::kIgnore}, S::kPlaintext, kQueryS},
    {S::kEncrypted, E::kQuery, G::kQueryOffersAllowedVersion, {A::kStartAke}, S::kEncrypted, kQueryS},
    {S::kEncrypted, E::kQuery, G::kAlways, {A::kIgnore}, S::kEncrypted, kQueryS},
    {S::kFinished, E::kQuery, G::kQueryOffersAllowedVersion, {A::kStartAke}, S::kFinished, kQueryS},
    {S::kFinished, E::kQuery, G::kAlways, {A::kIgnore}, S::kFinished, kQueryS},

    // Error Message.
    {S::kPlaintext, E::kError, G::kErrorStartAke, {A::kDisplayError, A::kSendQuery}, S::kPlaintext, kErrorS},
    {S::kPlaintext, E::kError, G::kAlways, {A::kDisplayError}, S::kPlaintext, kErrorS},
    {S::kEncrypted, E::kError, G::kErrorStartAke, {A::kDisplayError, A::kAllowRetransmit, A::kSendQuery}, S::kEncrypted, kErrorS},
    {S::kEncrypted, E::kError, G::kAlways, {A::kDisplayError, A::kAllowRetransmit}, S::kEncrypted, kErrorS},
    {S::kFinished, E::kError, G::kErrorStartAke, {A::kDisplayError, A::kSendQuery}, S::kFinished, kErrorS},
    {S::kFinished, E::kError, G::kAlways, {A::kDisplayError}, S::kFinished, kErrorS},

    // Data Message.
    {S::kPlaintext, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kPlaintext, kFlag},
    {S::kPlaintext, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendUnreadableError}, S::kPlaintext, kDataS},
    {S::kEncrypted, E::kData, G::kDataVerifies, {A::kDeliverData}, S::kEncrypted, kDataS},
    {S::kEncrypted, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kEncrypted, kFlag},
    {S::kEncrypted, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendUnreadableError}, S::kEncrypted, kDataS},
    {S::kFinished, E::kData, G::kIgnoreUnreadable, {A::kIgnore}, S::kFinished, kFlag},
    {S::kFinished, E::kData, G::kAlways, {A::kReportUnreadable, A::kSendUnreadableError}, S::kFinished, kDataS},

    // The AKE completed (also re-keys an ENCRYPTED or FINISHED session).
    {S::kPlaintext, E::kAkeSucceeded, G::kAlways, {A::kInstallSessionKeys, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAke},
    {S::kEncrypted, E::kAkeSucceeded, G::kAlways, {A::kInstallSessionKeys, A::kResetSmp, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAke},
    {S::kFinished, E::kAkeSucceeded, G::kAlways, {A::kInstallSessionKeys, A::kReportSecure, A::kSendStoredMessage}, S::kEncrypted, kAke},

    // TLV 1 in a verified Data Message (raised by kDeliverData).
    {S::kPlaintext, E::kPeerEnded, G::kAlways, {A::kIgnore}, S::kPlaintext, kTlv1},
    {S::kEncrypted, E::kPeerEnded, G::kAlways, {A::kForgetSessionKeys, A::kResetSmp, A::kReportPeerEnded}, S::kFinished, kTlv1},
    {S::kFinished, E::kPeerEnded, G::kAlways, {A::kIgnore}, S::kFinished, kTlv1},

    // After an accepted Data Message (raised by kDeliverData, after kPeerEnded).
    {S::kPlaintext, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kPlaintext, kHeartbeat},
    {S::kEncrypted, E::kDataAccepted, G::kHeartbeatDue, {A::kSendHeartbeat}, S::kEncrypted, kHeartbeat},
    {S::kEncrypted, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kEncrypted, kHeartbeat},
    {S::kFinished, E::kDataAccepted, G::kAlways, {A::kIgnore}, S::kFinished, kHeartbeat},

    // User starts OTR.
    {S::kPlaintext, E::kUserStart, G::kAlways, {A::kSendQuery}, S::kPlaintext, kStart},
    {S::kEncrypted, E::kUserStart, G::kAlways, {A::kSendQuery}, S::kEncrypted, kStart},
    {S::kFinished, E::kUserStart, G::kAlways, {A::kSendQuery}, S::kFinished, kStart},

    // User ends OTR.
    {S::kPlaintext, E::kUserEnd, G::kAlways, {A::kAbandonAke}, S::kPlaintext, kEnd},
    {S::kEncrypted, E::kUserEnd, G::kAlways, {A::kSendDisconnect, A::kForgetSessionKeys, A::kResetSmp, A::kAbandonAke, A::kArmWhitespaceTag, A::kReportInsecure}, S::kPlaintext, kEnd},
    {S::kFinished, E::kUserEnd, G::kAlways, {A::kAbandonAke, A::kArmWhitespaceTag, A::kReportInsecure}, S::kPlaintext, kEnd},

    // User sends a message.
    {S::kPlaintext, E::kUserSend, G::kRequireEncryption, {A::kHoldMessage, A::kReportHeldBack, A::kSendQuery}, S::kPlaintext, kSend},
    {S::kPlaintext, E::kUserSend, G::kWhitespaceTagPending, {A::kSendTaggedPlaintext}, S::kPlaintext, kSend},
    {S::kPlaintext, E::kUserSend, G::kAlways, {A::kSendPlaintext}, S::kPlaintext, kSend},
    {S::kEncrypted, E::kUserSend, G::kAlways, {A::kSendEncrypted, A::kStoreMessage}, S::kEncrypted, kSend},
    {S::kFinished, E::kUserSend, G::kAlways, {A::kReportCannotSend}, S::kFinished, kSend},
};
// clang-format on

}  // namespace message_table_internal

inline constexpr std::span<const MessageRow> kMessageTable(message_table_internal::kMessageTable);

static_assert(table::IsTotal<MessageRow, MessageState, MessageEvent, MessageGuard>(kMessageTable),
              "every (msgstate, event) pair must end in an unguarded row");

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_STATE_MESSAGE_TABLE_H_
