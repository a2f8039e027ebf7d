// `otr chat`'s parsing: its options, the lines typed at its prompt, IRC
// lines, and the PRIVMSG size budget.
#include "tools/chat.h"

#include <gtest/gtest.h>

#include "protocol/wire/whitespace_tag.h"
#include "tools/irc.h"

namespace otr::tools {
namespace {

using Kind = ChatInput::Kind;

TEST(ChatOptionsTest, Parses) {
  auto o = ParseChatOptions({"--irc", "127.0.0.1:6667", "--nick", "alice", "--peer", "bob",
                             "--policy", "always", "--dir", "/d", "--backend", "gcrypt"},
                            nullptr, nullptr);
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, "6667");
  EXPECT_EQ(o->nick, "alice");
  EXPECT_EQ(o->peer, "bob");
  EXPECT_TRUE(o->policy.require_encryption);
  EXPECT_EQ(o->dir, "/d");
  EXPECT_EQ(o->protocol, "prpl-irc");
  EXPECT_EQ(o->backend, "gcrypt");

  auto v6 = ParseChatOptions({"--irc=[::1]:7000", "--nick=a", "--peer=b"}, nullptr, "/home/u");
  ASSERT_TRUE(v6.ok()) << v6.error();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "7000");
  EXPECT_EQ(v6->dir, "/home/u/.config/otr");
  EXPECT_EQ(v6->policy_name, "manual");
  EXPECT_FALSE(v6->policy.send_whitespace_tag);

  EXPECT_FALSE(v6->tls.enabled);

  auto tls = ParseChatOptions({"--irc=h:6697", "--nick=a", "--peer=b", "--tls"}, nullptr, "/h");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls->tls.enabled);
  EXPECT_EQ(tls->tls.ca_file, "");
  auto ca = ParseChatOptions({"--irc=h:6697", "--nick=a", "--peer=b", "--tls-ca", "/ca.pem"},
                             nullptr, "/h");
  ASSERT_TRUE(ca.ok());
  EXPECT_TRUE(ca->tls.enabled);  // a CA file implies TLS
  EXPECT_EQ(ca->tls.ca_file, "/ca.pem");

  auto opp = ParseChatOptions({"--irc=h:1", "--nick=a", "--peer=b", "--policy=opportunistic"},
                              nullptr, "/h");
  ASSERT_TRUE(opp.ok());
  EXPECT_TRUE(opp->policy.send_whitespace_tag);
  EXPECT_TRUE(opp->policy.whitespace_start_ake);
}

TEST(ChatOptionsTest, Refuses) {
  const std::vector<std::vector<std::string>> bad = {
      {"--nick", "a", "--peer", "b"},                          // no --irc
      {"--irc", "host", "--nick", "a", "--peer", "b"},         // no port
      {"--irc", "host:", "--nick", "a", "--peer", "b"},        // empty port
      {"--irc", ":6667", "--nick", "a", "--peer", "b"},        // empty host
      {"--irc", "h:66x7", "--nick", "a", "--peer", "b"},       // bad port
      {"--irc", "h:65536", "--nick", "a", "--peer", "b"},      // port out of range
      {"--irc", "h:0", "--nick", "a", "--peer", "b"},          // port zero
      {"--irc", "h:1", "--peer", "b"},                         // no nick
      {"--irc", "h:1", "--nick", "a"},                         // no peer
      {"--irc", "h:1", "--nick", "9a", "--peer", "b"},         // nick starts with a digit
      {"--irc", "h:1", "--nick", "a b", "--peer", "b"},        // space in nick
      {"--irc", "h:1", "--nick", "Alice", "--peer", "alice"},  // the same nick
      {"--irc", "h:1", "--nick", "a[", "--peer", "a{"},        // the same nick (RFC 1459)
      {"--irc", "h:1", "--nick", "a", "--peer", "b", "--policy", "never"},
      {"--irc", "h:1", "--nick", "a", "--peer", "b", "--ssl"},  // unknown option
      {"--irc", "h:1", "--nick", "a", "--peer", "b", "--tls=yes"},
      {"--irc", "h:1", "--nick", "a", "--peer", "b", "--tls-ca="},
      {"--irc", "h:1", "--nick", "a", "--peer", "b", "extra"},
  };
  for (const auto& args : bad) {
    EXPECT_FALSE(ParseChatOptions(args, nullptr, "/h").ok()) << args[args.size() - 1];
  }
  EXPECT_FALSE(ParseChatOptions({"--irc", "h:1", "--nick", "a", "--peer", "b"}, nullptr, nullptr)
                   .ok());  // no directory
}

TEST(ChatInputTest, Commands) {
  EXPECT_EQ(ParseChatInput("").kind, Kind::kEmpty);
  EXPECT_EQ(ParseChatInput("   ").kind, Kind::kEmpty);
  auto msg = ParseChatInput("hello there\r");
  EXPECT_EQ(msg.kind, Kind::kMessage);
  EXPECT_EQ(msg.text, "hello there");
  auto slash = ParseChatInput("//otr is a command");
  EXPECT_EQ(slash.kind, Kind::kMessage);
  EXPECT_EQ(slash.text, "/otr is a command");
  EXPECT_EQ(ParseChatInput("/otr start").kind, Kind::kOtrStart);
  EXPECT_EQ(ParseChatInput("/otr  end ").kind, Kind::kOtrEnd);
  EXPECT_EQ(ParseChatInput("/otr").kind, Kind::kInvalid);
  EXPECT_EQ(ParseChatInput("/otr begin").kind, Kind::kInvalid);

  auto smp = ParseChatInput("/smp open sesame");
  EXPECT_EQ(smp.kind, Kind::kSmp);
  EXPECT_EQ(smp.secret, "open sesame");
  EXPECT_EQ(ParseChatInput("/smp").kind, Kind::kInvalid);
  EXPECT_EQ(ParseChatInput("/smp   ").kind, Kind::kInvalid);

  auto q = ParseChatInput("/smp-q Where did we meet? lighthouse");
  EXPECT_EQ(q.kind, Kind::kSmpQuestion);
  EXPECT_EQ(q.question, "Where did we meet?");
  EXPECT_EQ(q.secret, "lighthouse");
  EXPECT_EQ(ParseChatInput("/smp-q lighthouse").kind, Kind::kInvalid);
  EXPECT_EQ(ParseChatInput("/smp-q").kind, Kind::kInvalid);

  EXPECT_EQ(ParseChatInput("/smp-abort").kind, Kind::kSmpAbort);
  EXPECT_EQ(ParseChatInput("/trust").kind, Kind::kTrust);
  EXPECT_EQ(ParseChatInput("/untrust").kind, Kind::kUntrust);
  EXPECT_EQ(ParseChatInput("/status").kind, Kind::kStatus);
  EXPECT_EQ(ParseChatInput("/help").kind, Kind::kHelp);
  EXPECT_EQ(ParseChatInput("/quit").kind, Kind::kQuit);
  EXPECT_EQ(ParseChatInput("/quit now").kind, Kind::kInvalid);
  EXPECT_EQ(ParseChatInput("/msg bob hi").kind, Kind::kInvalid);
}

TEST(ChatTest, WhitespaceTagIsGuardedFromTrimming) {
  const std::string tag = wire::WhitespaceTag(wire::VersionSet{2, 3});
  const std::string guard(kTagGuard);
  EXPECT_EQ(GuardWhitespaceTag("hello" + tag), "hello" + tag + guard);
  EXPECT_EQ(GuardWhitespaceTag(tag), tag + guard);
  // Not at the end (text follows): left as it is.
  EXPECT_EQ(GuardWhitespaceTag("a" + tag + "b"), "a" + tag + "b");
  EXPECT_EQ(GuardWhitespaceTag("plain text "), "plain text ");
  EXPECT_EQ(GuardWhitespaceTag("?OTR:AAMD."), "?OTR:AAMD.");
  // The guarded text still decodes to the same versions; what the tag
  // leaves behind is the text and the guard, which display removes.
  const auto decoded = wire::DecodeTaggedPlaintext(GuardWhitespaceTag("hi there" + tag));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->text, "hi there" + guard);
  EXPECT_EQ(WithoutTagGuard(decoded->text), "hi there");
  EXPECT_TRUE(decoded->versions.Has(2) && decoded->versions.Has(3));
  EXPECT_EQ(WithoutTagGuard("x" + guard + "y"), "x" + guard + "y");
  EXPECT_EQ(WithoutTagGuard(""), "");
}

TEST(IrcTest, ParsesServerLines) {
  auto m = ParseIrcLine(":alice!~alice@127.0.0.1 PRIVMSG bob :?OTR:AAMC: with spaces ");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->prefix, "alice!~alice@127.0.0.1");
  EXPECT_EQ(m->command, "PRIVMSG");
  ASSERT_EQ(m->params.size(), 2u);
  EXPECT_EQ(m->params[0], "bob");
  EXPECT_EQ(m->params[1], "?OTR:AAMC: with spaces ");
  EXPECT_EQ(NickOf(m->prefix), "alice");

  auto ping = ParseIrcLine("PING :irc.test");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->prefix, "");
  EXPECT_EQ(ping->command, "PING");
  EXPECT_EQ(ping->params, std::vector<std::string>{"irc.test"});

  auto welcome = ParseIrcLine(":irc.test 001 alice :Welcome to the net alice!~alice@host");
  ASSERT_TRUE(welcome);
  EXPECT_EQ(welcome->command, "001");
  EXPECT_EQ(welcome->params.size(), 2u);
  EXPECT_EQ(NickOf(welcome->prefix), "irc.test");

  auto many = ParseIrcLine(":s 433 *  alice   :Nickname already in use");
  ASSERT_TRUE(many);
  EXPECT_EQ(many->params, (std::vector<std::string>{"*", "alice", "Nickname already in use"}));
  auto empty_trailing = ParseIrcLine("PRIVMSG bob :");
  ASSERT_TRUE(empty_trailing);
  EXPECT_EQ(empty_trailing->params, (std::vector<std::string>{"bob", ""}));

  EXPECT_FALSE(ParseIrcLine(""));
  EXPECT_FALSE(ParseIrcLine(":prefix-only"));
  EXPECT_FALSE(ParseIrcLine(":prefix   "));
}

TEST(IrcTest, Nicks) {
  EXPECT_TRUE(SameNick("Alice", "aLICE"));
  EXPECT_TRUE(SameNick("a[b]\\~", "A{B}|^"));
  EXPECT_FALSE(SameNick("alice", "alice_"));
  EXPECT_TRUE(ValidNick("alice"));
  EXPECT_TRUE(ValidNick("[away]-1"));
  EXPECT_FALSE(ValidNick(""));
  EXPECT_FALSE(ValidNick("-dash"));
  EXPECT_FALSE(ValidNick("a!b"));
  EXPECT_FALSE(ValidNick(std::string(31, 'a')));
  EXPECT_TRUE(ValidNick(std::string(30, 'a')));
}

TEST(IrcTest, PrivmsgBudgetFitsTheRelayedLine) {
  // Known mask: exactly what the relayed line leaves.
  const std::string mask = "alice!~alice@127.0.0.1";
  const size_t max = MaxPrivmsgText(mask, "bob");
  const std::string relayed = ":" + mask + " " + FormatPrivmsg("bob", std::string(max, 'x'));
  EXPECT_EQ(relayed.size(), kIrcMaxLine);
  EXPECT_EQ(FormatPrivmsg("bob", "hi"), "PRIVMSG bob :hi\r\n");
  // Unknown mask: the worst case of user and host is assumed.
  const size_t guess = MaxPrivmsgText("alice", "bob");
  EXPECT_EQ(guess, kIrcMaxLine - (1 + 5 + 1 + 11 + 1 + 63 + 9 + 3 + 2 + 2));
  EXPECT_LT(guess, max);
  EXPECT_EQ(MaxPrivmsgText(std::string(600, 'x'), "bob"), 0u);
}

TEST(IrcTest, SplitTextKeepsUtf8Whole) {
  EXPECT_EQ(SplitText("", 10), std::vector<std::string>{""});
  EXPECT_EQ(SplitText("abcdefghi", 4), (std::vector<std::string>{"abcd", "efgh", "i"}));
  EXPECT_EQ(SplitText("abcdefghi", 1), SplitText("abcdefghi", 4));
  // "é" is two bytes: never cut between them.
  const std::string text =
      "aé"
      "é"
      "é";  // 7 bytes
  const auto pieces = SplitText(text, 4);
  EXPECT_EQ(pieces, (std::vector<std::string>{"aé", "éé"}));
  std::string joined;
  for (const auto& p : SplitText(std::string(1000, 'z'), 400)) {
    EXPECT_LE(p.size(), 400u);
    joined += p;
  }
  EXPECT_EQ(joined, std::string(1000, 'z'));
}

TEST(IrcTest, LineBuffer) {
  LineBuffer b(10);
  b.Append("PING :a\r\nPAR");
  EXPECT_EQ(b.Next(), "PING :a");
  EXPECT_EQ(b.Next(), std::nullopt);
  b.Append("TIAL\n\n");
  EXPECT_EQ(b.Next(), "PARTIAL");
  EXPECT_EQ(b.Next(), "");
  // A line above the limit is dropped whole, even if it arrives in pieces.
  b.Append("0123456789ABC");
  EXPECT_EQ(b.Next(), std::nullopt);
  b.Append("DEF\nnext\n");
  EXPECT_EQ(b.Next(), "next");
  EXPECT_EQ(b.Next(), std::nullopt);
  b.Append("tail");
  EXPECT_EQ(b.TakeRest(), "tail");
  EXPECT_EQ(b.Next(), std::nullopt);
}

}  // namespace
}  // namespace otr::tools
