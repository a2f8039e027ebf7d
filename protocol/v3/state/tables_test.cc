// Properties of the v2/v3 tables beyond totality (which is static_asserted):
// spot checks of the spec's trickiest rows, through the same Select the
// engine uses.
#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/smp/smp_table.h"
#include "protocol/v3/state/auth_table.h"
#include "protocol/v3/state/message_table.h"

namespace otr::v3 {
namespace {

using otr::smp::kSmpTable;
using otr::smp::SmpAction;
using otr::smp::SmpEvent;
using otr::smp::SmpGuard;
using otr::smp::SmpRow;
using otr::smp::SmpState;

template <typename Row, typename State, typename Event, typename Guard>
const Row& Pick(std::span<const Row> table, State s, Event e, Guard holds) {
  const Row* row =
      table::Select(table, s, e, [&](Guard g) { return g == Guard::kAlways || g == holds; });
  EXPECT_NE(row, nullptr);
  return *row;
}

bool Has(const auto& actions, auto action) {
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

TEST(AuthTable, CrossedCommitsResolvedByHashedGx) {
  // v3 "Receiving a D-H Commit Message", AUTHSTATE_AWAITING_DHKEY.
  const AuthRow& higher = Pick(kAuthTable, AuthState::kAwaitingDhKey, AuthEvent::kDhCommit,
                               AuthGuard::kOurHashedGxHigher);
  EXPECT_EQ(higher.to, AuthState::kAwaitingDhKey);
  EXPECT_TRUE(Has(higher.actions, AuthAction::kResendDhCommit));
  const AuthRow& lower =
      Pick(kAuthTable, AuthState::kAwaitingDhKey, AuthEvent::kDhCommit, AuthGuard::kAlways);
  EXPECT_EQ(lower.to, AuthState::kAwaitingRevealSig);
  EXPECT_TRUE(Has(lower.actions, AuthAction::kForgetOurDhCommit));
  EXPECT_TRUE(Has(lower.actions, AuthAction::kSendDhKey));
}

TEST(AuthTable, OnlyVerifiedExchangesAuthenticate) {
  for (const AuthRow& row : kAuthTable) {
    if (!Has(row.actions, AuthAction::kAuthenticated)) continue;
    EXPECT_TRUE(row.guard == AuthGuard::kRevealSignatureVerifies ||
                row.guard == AuthGuard::kSignatureVerifies);
    EXPECT_EQ(row.to, AuthState::kNone);
  }
}

TEST(AuthTable, DisallowedVersionsAreIgnoredFirst) {
  for (const AuthRow& row : kAuthTable) {
    if (row.guard != AuthGuard::kVersionNotAllowed) continue;
    EXPECT_EQ(row.from, row.to);
    EXPECT_EQ(row.actions[0], AuthAction::kIgnore);
  }
}

TEST(AuthTable, VersionOneIsAlwaysRefused) {
  for (const AuthRow& row : kAuthTable) {
    if (row.event == AuthEvent::kV1KeyExchange) {
      EXPECT_EQ(row.actions[0], AuthAction::kRefuseV1);
      EXPECT_NE(row.to, AuthState::kV1Setup);
    }
    EXPECT_NE(row.to == AuthState::kV1Setup && row.from != AuthState::kV1Setup, true);
  }
}

TEST(MessageTable, OnlyTheAkeEntersEncrypted) {
  for (const MessageRow& row : kMessageTable) {
    if (row.to == MessageState::kEncrypted && row.from != MessageState::kEncrypted) {
      EXPECT_EQ(row.event, MessageEvent::kAkeSucceeded);
    }
  }
}

TEST(MessageTable, RequireEncryptionNeverSendsPlaintext) {
  const MessageRow& row = Pick(kMessageTable, MessageState::kPlaintext, MessageEvent::kUserSend,
                               MessageGuard::kRequireEncryption);
  EXPECT_FALSE(Has(row.actions, MessageAction::kSendPlaintext));
  EXPECT_FALSE(Has(row.actions, MessageAction::kSendTaggedPlaintext));
  EXPECT_TRUE(Has(row.actions, MessageAction::kHoldMessage));
}

TEST(MessageTable, FinishedNeverSendsUserText) {
  const MessageRow& row =
      Pick(kMessageTable, MessageState::kFinished, MessageEvent::kUserSend, MessageGuard::kAlways);
  EXPECT_TRUE(Has(row.actions, MessageAction::kReportCannotSend));
  EXPECT_FALSE(Has(row.actions, MessageAction::kSendPlaintext));
}

TEST(MessageTable, LeavingEncryptedForgetsKeysAndSmp) {
  for (const MessageRow& row : kMessageTable) {
    if (row.from == MessageState::kEncrypted && row.to != MessageState::kEncrypted) {
      EXPECT_TRUE(Has(row.actions, MessageAction::kForgetSessionKeys));
      EXPECT_TRUE(Has(row.actions, MessageAction::kResetSmp));
    }
  }
}

TEST(SmpTable, UnexpectedMessagesAbort) {
  const SmpRow& row = Pick(kSmpTable, SmpState::kExpect2, SmpEvent::kSmp3, SmpGuard::kProofsVerify);
  EXPECT_EQ(row.to, SmpState::kExpect1);
  EXPECT_TRUE(Has(row.actions, SmpAction::kSendAbort));
}

TEST(SmpTable, ResultsOnlyAfterVerifiedProofs) {
  for (const SmpRow& row : kSmpTable) {
    if (Has(row.actions, SmpAction::kReportResult)) {
      EXPECT_EQ(row.guard, SmpGuard::kProofsVerify);
    }
  }
}

// Issue 14: a message typed while FINISHED is dropped with a notice (as
// libotr), never held and sent after a later AKE.
TEST(MessageTable, FinishedDropsTypedMessages) {
  const MessageRow& row =
      Pick(kMessageTable, MessageState::kFinished, MessageEvent::kUserSend, MessageGuard::kAlways);
  EXPECT_TRUE(Has(row.actions, MessageAction::kReportCannotSend));
  EXPECT_FALSE(Has(row.actions, MessageAction::kHoldMessage));
  EXPECT_FALSE(Has(row.actions, MessageAction::kStoreMessage));
}

// Issue 14: a new AKE while ENCRYPTED resets SMP (its secret was bound to
// the old session id).
TEST(MessageTable, NewAkeWhileEncryptedResetsSmp) {
  const MessageRow& row = Pick(kMessageTable, MessageState::kEncrypted, MessageEvent::kAkeSucceeded,
                               MessageGuard::kAlways);
  EXPECT_TRUE(Has(row.actions, MessageAction::kResetSmp));
}

// Issue 14: our own D-H Commit reflected back keeps our commitment.
TEST(AuthTable, ReflectedCommitIsIgnored) {
  for (AuthState s : {AuthState::kAwaitingDhKey, AuthState::kAwaitingSig}) {
    const AuthRow& row = Pick(kAuthTable, s, AuthEvent::kDhCommit, AuthGuard::kReflectedDhCommit);
    EXPECT_EQ(row.guard, AuthGuard::kReflectedDhCommit);
    EXPECT_EQ(row.to, s);
    EXPECT_FALSE(Has(row.actions, AuthAction::kForgetOurDhCommit));
  }
}

// Issue 14: one SMP TLV per Data Message; another one aborts like an
// unexpected SMP message.
TEST(SmpTable, ExtraSmpMessageAborts) {
  for (size_t s = 0; s < table::EnumCount<SmpState>(); ++s) {
    const SmpRow& row =
        Pick(kSmpTable, static_cast<SmpState>(s), SmpEvent::kExtra, SmpGuard::kAlways);
    EXPECT_EQ(row.to, SmpState::kExpect1);
    EXPECT_TRUE(Has(row.actions, SmpAction::kSendAbort));
    EXPECT_TRUE(Has(row.actions, SmpAction::kForget));
  }
}

}  // namespace
}  // namespace otr::v3
