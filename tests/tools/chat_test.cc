// `otr chat`'s parsing (its options, the lines typed at its prompt, IRC
// lines, the PRIVMSG size budget, the key it picks) and what it shows the
// user (chat_view.h: a sentence per event, SMP trust, escaping, actions)
// and the held-message lines.
#include "tools/chat.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cctype>

#include "protocol/wire/whitespace_tag.h"
#include "tools/args.h"
#include "tools/chat_view.h"
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

// --compat libotr-ng (issue 20): the v4 engine's libotr-ng variant, never
// the default; it needs v4.
TEST(ChatOptionsTest, CompatLibotrNg) {
  auto spec = ParseChatOptions({"--irc=h:1", "--nick=a", "--peer=b"}, nullptr, "/h");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->policy.v4_variant, V4Variant::kSpec);
  auto ng = ParseChatOptions({"--irc=h:1", "--nick=a", "--peer=b", "--compat", "libotr-ng"},
                             nullptr, "/h");
  ASSERT_TRUE(ng.ok());
  EXPECT_EQ(ng->policy.v4_variant, V4Variant::kLibotrNg);
  EXPECT_FALSE(
      ParseChatOptions({"--irc=h:1", "--nick=a", "--peer=b", "--compat=libotr"}, nullptr, "/h")
          .ok());
  EXPECT_FALSE(
      ParseChatOptions({"--irc=h:1", "--nick=a", "--peer=b", "--compat=libotr-ng", "--no-v4"},
                       nullptr, "/h")
          .ok());
}

TEST(ChatOptionsTest, ParsesXmpp) {
  auto o = ParseChatOptions({"--xmpp", "alice@localhost", "--peer", "bob@localhost",
                             "--password-file", "/pw", "--dir", "/d"},
                            nullptr, nullptr);
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->network, ChatNetwork::kXmpp);
  EXPECT_EQ(o->nick, "alice@localhost");
  EXPECT_EQ(o->peer, "bob@localhost");
  EXPECT_EQ(o->host, "localhost");  // the JID's domain, the client port
  EXPECT_EQ(o->port, "5222");
  EXPECT_EQ(o->password_file, "/pw");
  EXPECT_FALSE(o->tls.enabled);  // STARTTLS when offered
  EXPECT_EQ(o->max_message_size, 0u);

  auto full = ParseChatOptions(
      {"--xmpp=alice@example.org/laptop", "--peer=bob@example.org", "--password-file=/pw",
       "--server=127.0.0.1:15222", "--tls-ca=/ca.pem", "--max-message-size=300"},
      nullptr, "/h");
  ASSERT_TRUE(full.ok()) << full.error();
  EXPECT_EQ(full->host, "127.0.0.1");
  EXPECT_EQ(full->port, "15222");
  EXPECT_TRUE(full->tls.enabled);  // a CA file: TLS required
  EXPECT_EQ(full->tls.ca_file, "/ca.pem");
  EXPECT_EQ(full->max_message_size, 300u);
  EXPECT_TRUE(full->offline);  // offline conversations by default, 100 prekey messages
  EXPECT_EQ(full->prekey_messages, kDefaultPrekeyMessages);

  auto prekeys = ParseChatOptions({"--xmpp", "a@l", "--peer", "b@l", "--password-file", "/pw",
                                   "--prekey-messages", "3", "--no-offline"},
                                  nullptr, "/h");
  ASSERT_TRUE(prekeys.ok()) << prekeys.error();
  EXPECT_EQ(prekeys->prekey_messages, 3u);
  EXPECT_FALSE(prekeys->offline);

  // The key of the account: the bare JID.
  store::PrivateKeyFile keys;
  keys.accounts.push_back({"alice@example.org", "prpl-jabber", {}});
  keys.accounts.push_back({"alice@irc.example", "prpl-irc", {}});
  auto key = ChooseChatKey(keys, *full);
  ASSERT_TRUE(key.ok()) << key.error();
  EXPECT_EQ((*key)->account_name, "alice@example.org");
}

TEST(ChatOptionsTest, RefusesXmpp) {
  const std::vector<std::string> base = {"--password-file", "/pw"};
  const std::vector<std::vector<std::string>> bad = {
      {"--xmpp", "alice@localhost"},                                     // no peer
      {"--xmpp", "alice", "--peer", "bob@localhost"},                    // not a JID
      {"--xmpp", "@localhost", "--peer", "bob@localhost"},               // no localpart
      {"--xmpp", "alice@", "--peer", "bob@localhost"},                   // no domain
      {"--xmpp", "alice@localhost", "--peer", "bob@localhost/phone"},    // peer not bare
      {"--xmpp", "alice@localhost", "--peer", "bob @localhost"},         // space
      {"--xmpp", "alice@localhost", "--peer", "bob@local\x01host"},      // control character
      {"--xmpp", "alice@localhost/x", "--peer", "alice@localhost"},      // ourselves
      {"--xmpp", "a@l", "--peer", "b@l", "--server", "h"},               // no port
      {"--xmpp", "a@l", "--peer", "b@l", "--server", "h:99999"},         // bad port
      {"--xmpp", "a@l", "--peer", "b@l", "--nick", "a"},                 // an IRC option
      {"--xmpp", "a@l", "--peer", "b@l", "--irc", "h:1"},                // both networks
      {"--xmpp", "a@l", "--peer", "b@l", "--max-message-size", "99"},    // too small
      {"--xmpp", "a@l", "--peer", "b@l", "--max-message-size", "1e3"},   // not a number
      {"--xmpp", "a@l", "--peer", "b@l", "--max-message-size", "-500"},  // not a number
      {"--xmpp", "a@l", "--peer", "b@l", "--prekey-messages", "256"},    // above 255
      {"--xmpp", "a@l", "--peer", "b@l", "--prekey-messages", "x"},      // not a number
      {"--xmpp", "a@l", "--peer", "b@l", "--prekey-messages", ""},       // empty
  };
  for (auto args : bad) {
    args.insert(args.end(), base.begin(), base.end());
    EXPECT_FALSE(ParseChatOptions(args, nullptr, "/h").ok()) << args[1] << " " << args[3];
  }
  EXPECT_FALSE(ParseChatOptions({"--xmpp", "a@l", "--peer", "b@l"}, nullptr, "/h").ok())
      << "no password file";
  EXPECT_FALSE(
      ParseChatOptions({"--irc", "h:1", "--nick", "a", "--peer", "b", "--password-file", "/pw"},
                       nullptr, "/h")
          .ok())
      << "an XMPP option with --irc";
  EXPECT_FALSE(ParseChatOptions({"--irc", "h:1", "--nick", "a", "--peer", "b", "--no-offline"},
                                nullptr, "/h")
                   .ok())
      << "--no-offline with --irc";
}

TEST(ChatInputTest, ExtraKey) {
  auto key = ParseChatInput("/otr key 7 transfer.txt");
  EXPECT_EQ(key.kind, Kind::kExtraKey);
  EXPECT_EQ(key.use, 7u);
  EXPECT_EQ(key.text, "transfer.txt");
  auto bare = ParseChatInput("/otr key 4294967295");
  EXPECT_EQ(bare.kind, Kind::kExtraKey);
  EXPECT_EQ(bare.use, 0xffffffffu);
  EXPECT_EQ(bare.text, "");
  for (const char* bad :
       {"/otr key", "/otr key x", "/otr key 4294967296", "/otr key -1", "/otr key 99999999999"}) {
    EXPECT_EQ(ParseChatInput(bad).kind, Kind::kInvalid) << bad;
  }
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

  auto me = ParseChatInput("/me waves  hello");
  EXPECT_EQ(me.kind, Kind::kAction);
  EXPECT_EQ(me.text, "waves  hello");
  EXPECT_EQ(ParseChatInput("/me").kind, Kind::kInvalid);
  EXPECT_EQ(ParseChatInput("/me   ").kind, Kind::kInvalid);
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
  // Known mask: what the relayed line leaves, less a margin for a host that
  // grows after login (a cloak): the line still fits with a 63-byte host.
  const std::string mask = "alice!~alice@127.0.0.1";
  const size_t max = MaxPrivmsgText(mask, "bob");
  const std::string relayed = ":" + mask + " " + FormatPrivmsg("bob", std::string(max, 'x'));
  EXPECT_EQ(relayed.size(), kIrcMaxLine - (kHostMargin - std::string("127.0.0.1").size()));
  const std::string cloaked = "alice!~alice@" + std::string(kHostMargin, 'c');
  EXPECT_EQ((":" + cloaked + " " + FormatPrivmsg("bob", std::string(max, 'x'))).size(),
            kIrcMaxLine);
  // A host already that long leaves exactly the relayed line's budget.
  const size_t long_host = MaxPrivmsgText("a!u@" + std::string(70, 'h'), "bob");
  EXPECT_EQ(1 + 4 + 70 + FormatPrivmsg("bob", std::string(long_host, 'x')).size() + 1, kIrcMaxLine);
  EXPECT_EQ(FormatPrivmsg("bob", "hi"), "PRIVMSG bob :hi\r\n");
  // Unknown mask: the worst case of user and host is assumed.
  const size_t guess = MaxPrivmsgText("alice", "bob");
  EXPECT_EQ(guess, kIrcMaxLine - (1 + 5 + 1 + 11 + 1 + 63 + 9 + 3 + 2 + 2));
  EXPECT_LE(guess, max);
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

// WeeChat splits one potr fragment over two PRIVMSGs (seen end to end in
// tests/tools/irc_clients_e2e_test.py): the pieces are joined again.
TEST(IrcTest, OtrLineJoinerJoinsASplitOtrMessage) {
  using V = std::vector<std::string>;
  OtrLineJoiner j;
  // Whole messages, queries, errors and plaintext pass through.
  EXPECT_EQ(j.Add("?OTR,1,2,abc,"), V{"?OTR,1,2,abc,"});
  EXPECT_EQ(j.Add("?OTR:AAID."), V{"?OTR:AAID."});
  EXPECT_EQ(j.Add("?OTRv23?"), V{"?OTRv23?"});
  EXPECT_EQ(j.Add("?OTR Error: no"), V{"?OTR Error: no"});
  EXPECT_EQ(j.Add("hello"), V{"hello"});
  EXPECT_FALSE(j.Pending());
  // A potr fragment as WeeChat sends it: "...mh" then "O,".
  EXPECT_EQ(j.Add("?OTR,1,2,?OTR:AAISAAAB0iPAmh"), V{});
  EXPECT_TRUE(j.Pending());
  EXPECT_EQ(j.Add("O,"), V{"?OTR,1,2,?OTR:AAISAAAB0iPAmhO,"});
  // A v3/v4 fragment and an encoded message in three pieces.
  EXPECT_EQ(j.Add("?OTR|1|2,00001,00002,ab"), V{});
  EXPECT_EQ(j.Add("cd,"), V{"?OTR|1|2,00001,00002,abcd,"});
  EXPECT_EQ(j.Add("?OTR:AAMD"), V{});
  EXPECT_EQ(j.Add("EEEE"), V{});
  EXPECT_EQ(j.Add("FF."), V{"?OTR:AAMDEEEEFF."});
  // A new OTR message instead of the continuation: both go on, in order.
  EXPECT_EQ(j.Add("?OTR:AAMD"), V{});
  EXPECT_EQ(j.Add("?OTR:AAMC."), (V{"?OTR:AAMD", "?OTR:AAMC."}));
  EXPECT_EQ(j.Add("?OTR:AAMD"), V{});
  EXPECT_EQ(j.Add("?OTR:AAMC"), V{"?OTR:AAMD"});
  EXPECT_EQ(j.Add("."), V{"?OTR:AAMC."});
  // Bounded: after kMaxJoinedParts pieces the text goes on unfinished.
  EXPECT_EQ(j.Add("?OTR:x"), V{});
  for (size_t i = 2; i < OtrLineJoiner::kMaxJoinedParts; ++i) EXPECT_EQ(j.Add("y"), V{});
  EXPECT_EQ(j.Add("z"), V{"?OTR:x" + std::string(OtrLineJoiner::kMaxJoinedParts - 2, 'y') + "z"});
  EXPECT_FALSE(j.Pending());
}

// Any PRIVMSG texts, many of them OTR pieces: nothing is lost, changed or
// reordered (what came out is a prefix of what went in), and what waits is
// the last pieces, fewer than kMaxJoinedParts of them.
RC_GTEST_PROP(OtrLineJoinerProperty, JoinsWithoutLossAndBounded, ()) {
  const auto piece = rc::gen::oneOf(
      rc::gen::element<std::string>("?OTR:", "?OTR,", "?OTR|", "?OTRv34?", ".", ",", "x", ""),
      rc::gen::container<std::string>(
          rc::gen::element('?', 'O', 'T', 'R', ':', ',', '|', '.', 'a')));
  const auto texts = *rc::gen::container<std::vector<std::string>>(piece);
  OtrLineJoiner j;
  std::string in, out;
  size_t since_output = 0;  // texts added since the last one that gave output
  for (const std::string& t : texts) {
    in += t;
    const auto got = j.Add(t);
    ++since_output;
    if (!got.empty()) since_output = j.Pending() ? 1 : 0;
    for (const std::string& g : got) out += g;
    RC_ASSERT(in.compare(0, out.size(), out) == 0);
    RC_ASSERT(j.Pending() == (out.size() < in.size()));
    RC_ASSERT(!j.Pending() || since_output < OtrLineJoiner::kMaxJoinedParts);
  }
}

ChatView Bob() {
  ChatView v;
  v.peer = "bob";
  v.their_fingerprint = store::Fingerprint{};
  v.fingerprint_known = true;
  v.fingerprint_trusted = true;
  v.version = 3;
  v.ssid = "01234567 89abcdef";
  return v;
}

std::string Joined(const EventReport& r) {
  std::string all;
  for (const auto& l : r.lines) all += l + "\n";
  return all;
}

// An enumerator-style name: "k" then a capital at the start of a word.
bool HasInternalName(const std::string& text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]));
    if (word_start && text[i] == 'k' && std::isupper(static_cast<unsigned char>(text[i + 1]))) {
      return true;
    }
  }
  return false;
}

TEST(ChatViewTest, EveryEventHasASentenceWithoutInternalNames) {
  EXPECT_TRUE(HasInternalName("[otr] kOtherInstance"));
  EXPECT_FALSE(HasInternalName("thank Kim, okay"));
  for (int t = 0; t < static_cast<int>(EventType::kCount); ++t) {
    const EventReport r = ReportEvent(Event::OfType(static_cast<EventType>(t)), Bob());
    const std::string text = Joined(r);
    if (static_cast<EventType>(t) != EventType::kSmpAborted) {
      EXPECT_FALSE(r.lines.empty()) << EventTypeName(static_cast<EventType>(t));
    }
    EXPECT_FALSE(HasInternalName(text)) << text;
    EXPECT_EQ(text.find(EventTypeName(static_cast<EventType>(t))), std::string::npos) << text;
  }
  // A restart mid-session: the user hears of the lost message and what to do.
  EXPECT_NE(Joined(ReportEvent(Event::OfType(EventType::kOtherInstance), Bob())).find("/otr start"),
            std::string::npos);
  EXPECT_NE(Joined(ReportEvent(Event::OfType(EventType::kUndecryptable), Bob())).find("/otr start"),
            std::string::npos);
}

// The SSID as the specs ask: the same id on both sides, and each side told
// to read its bold half (v3: the Reveal Signature's sender's first half; v4:
// the Auth-R's sender's first half, otrv4.md "Secure Session ID").
TEST(ChatViewTest, SsidShowsWhichHalfToRead) {
  ChatView first = Bob();
  first.ssid_first_half_bold = true;
  ChatView second = Bob();
  const auto a = SsidLines(first);
  const auto b = SsidLines(second);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(a[0], "[otr] secure session id: 01234567 89abcdef");
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(a[1],
            "[otr] to check it by voice, read 01234567 (your half) to bob, who reads "
            "89abcdef to you");
  EXPECT_EQ(b[1],
            "[otr] to check it by voice, read 89abcdef (your half) to bob, who reads "
            "01234567 to you");
  const std::string secure = Joined(ReportEvent(Event(events::WentSecure{}, 0), first));
  EXPECT_NE(secure.find(a[1]), std::string::npos) << secure;
  EXPECT_TRUE(SsidLines(ChatView{}).empty());
}

// A v4 message refused as libotr-ng's variant (issue 20): the user reads
// what it was, not "damaged".
TEST(ChatViewTest, RefusedLibotrNgVariantIsNamed) {
  events::MalformedMessage refused;
  refused.detail = "libotr-ng's OTRv4 variant (...)";
  const std::string text = Joined(ReportEvent(Event(refused), Bob()));
  EXPECT_NE(text.find("was refused: it is libotr-ng's OTRv4 variant"), std::string::npos) << text;
  EXPECT_EQ(text.find("damaged"), std::string::npos) << text;
}

TEST(ChatViewTest, SmpTrustFollowsTheEngine) {
  const Event asked(events::SmpSucceeded{true});
  EXPECT_EQ(ReportEvent(asked, Bob()).trust, TrustChange::kVerify);
  EXPECT_NE(Joined(ReportEvent(asked, Bob())).find("is verified"), std::string::npos);

  // We only answered bob's question: bob may trust us, we learnt nothing.
  const Event answered(events::SmpSucceeded{false});
  const EventReport r = ReportEvent(answered, Bob());
  EXPECT_EQ(r.trust, TrustChange::kNone);
  EXPECT_EQ(Joined(r).find("is verified"), std::string::npos) << Joined(r);
  EXPECT_NE(Joined(r).find("does not verify bob"), std::string::npos) << Joined(r);
  EXPECT_NE(Joined(r).find("/smp-q"), std::string::npos) << Joined(r);

  // A failure resets the trust, as libotr does.
  EXPECT_EQ(ReportEvent(Event::OfType(EventType::kSmpFailed), Bob()).trust, TrustChange::kReset);
  EXPECT_EQ(ReportEvent(Event::OfType(EventType::kSmpCheated), Bob()).trust, TrustChange::kReset);
}

TEST(ChatViewTest, SmpQuestionOnlyWhenAsked) {
  const Event with(events::SmpAskSecret{"Where did we meet?"});
  EXPECT_NE(Joined(ReportEvent(with, Bob())).find("asks: Where did we meet?"), std::string::npos);
  const Event without(events::SmpAskSecret{});
  EXPECT_EQ(Joined(ReportEvent(without, Bob())).find("asks"), std::string::npos);
  EXPECT_EQ(Joined(ReportEvent(without, Bob())).find("question"), std::string::npos);
}

TEST(ChatViewTest, AbortAfterAMismatchIsAFailedCheck) {
  // python-potr answers our SMP message 3 with an abort when the secrets differ.
  ChatView waiting = Bob();
  waiting.smp_awaiting_result = true;
  const EventReport r = ReportEvent(Event::OfType(EventType::kSmpAborted), waiting);
  EXPECT_EQ(r.trust, TrustChange::kReset);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].rfind("[smp] failed: ", 0), 0u) << r.lines[0];
  // ... and its abort after our own failed result adds no second line.
  ChatView failed = Bob();
  failed.smp_just_failed = true;
  EXPECT_TRUE(ReportEvent(Event::OfType(EventType::kSmpAborted), failed).lines.empty());
  // A plain abort is one.
  const EventReport plain = ReportEvent(Event::OfType(EventType::kSmpAborted), Bob());
  ASSERT_EQ(plain.lines.size(), 1u);
  EXPECT_EQ(plain.lines[0].rfind("[smp] aborted", 0), 0u);
  EXPECT_EQ(plain.trust, TrustChange::kNone);
}

// Against WeeChat (python-potr, v2 only) the fallback is to v2: the
// warning names the version the peer's client speaks, not "3".
TEST(ChatViewTest, FallbackWarningNamesTheVersion) {
  for (int version : {2, 3}) {
    const std::string text =
        Joined(ReportEvent(Event(events::FellBackToV3{version, false}), Bob()));
    const std::string v = std::to_string(version);
    EXPECT_NE(text.find("OTR version " + v + " with bob, not version 4"), std::string::npos)
        << text;
    EXPECT_NE(text.find("client speaks only version " + v + ","), std::string::npos) << text;
  }
}

TEST(ChatViewTest, PeerTextIsEscaped) {
  const std::string evil = "hi\x1b]0;pwned\x07\x1b[2J";
  EXPECT_EQ(MessageLine("bob", evil, true), "<bob:private> hi\\x1b]0;pwned\\x07\\x1b[2J");
  EXPECT_EQ(MessageLine("bob", evil, false), "<bob:PLAINTEXT> hi\\x1b]0;pwned\\x07\\x1b[2J");
  const Event question(events::SmpAskSecret{"really?\x1b[31m"});
  const Event error(events::ErrorReceived{"bad\x07"});
  const Event stored(events::StoredMessageSent{"x\ny"});
  for (const Event& e : {question, error, stored}) {
    for (const std::string& line : ReportEvent(e, Bob()).lines) {
      for (char c : line) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << line;
    }
  }
  EXPECT_EQ(NoticeLine("bob", "ping\x07"), "-bob- ping\\x07");
}

TEST(ChatViewTest, ActionsAndNotices) {
  EXPECT_EQ(MessageLine("bob", "/me waves", true), "<bob:private> * bob waves");
  EXPECT_EQ(MessageLine("bob",
                        "\x01"
                        "ACTION waves\x01",
                        true),
            "<bob:private> * bob waves");
  EXPECT_EQ(MessageLine("bob",
                        "\x01"
                        "ACTION waves\x01",
                        false),
            "<bob:PLAINTEXT> * bob waves");
  // "/me " in plaintext is what bob typed, not an action.
  EXPECT_EQ(MessageLine("bob", "/me waves", false), "<bob:PLAINTEXT> /me waves");
  EXPECT_EQ(MakeCtcpAction("waves"),
            "\x01"
            "ACTION waves\x01");
  EXPECT_EQ(CtcpAction("\x01"
                       "ACTION waves\x01"),
            "waves");
  EXPECT_EQ(CtcpAction("\x01"
                       "VERSION\x01"),
            std::nullopt);
  EXPECT_EQ(CtcpAction("ACTION waves"), std::nullopt);
  EXPECT_EQ(NoticeLine("irc.test", "*** Looking up your hostname"),
            "-irc.test- *** Looking up your hostname");
}

// The held message is the session's (Session::SendHeldMessage, expiry by
// HandleTimeout); the client only words it, with the text it held.
TEST(ChatViewTest, HeldMessageLines) {
  ChatView v;
  v.peer = "bob";
  v.held_text = "first";
  EXPECT_EQ(ReportEvent(Event(events::StoredMessageSent{"first"}), v).lines.at(0),
            "[sent:private] first");
  EXPECT_EQ(ReportEvent(Event::OfType(EventType::kHeldMessageExpired), v)
                .lines.at(0)
                .rfind("[held] dropped: \"first\"", 0),
            0u);
  const std::string pending =
      ReportEvent(Event::OfType(EventType::kHeldMessagePending), v).lines.at(0);
  EXPECT_NE(pending.find("/otr send-held"), std::string::npos);
  EXPECT_NE(pending.find("/otr discard"), std::string::npos);
}

store::PrivateKeyFile Keys(std::vector<std::pair<std::string, std::string>> accounts) {
  store::PrivateKeyFile keys;
  for (auto& [account, protocol] : accounts) {
    keys.accounts.push_back(store::PrivateKeyEntry{account, protocol, {}});
  }
  return keys;
}

ChatOptions Options(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {
      "--irc", "irc.example:6667", "--nick", "alice", "--peer", "bob", "--dir", "/d"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto o = ParseChatOptions(args, nullptr, nullptr);
  EXPECT_TRUE(o.ok());
  return *o;
}

TEST(ChatKeyTest, AnIrssiKeyIsPickedWithoutProtocol) {
  // `otr import --irssi` brings "alice@irc.example" with protocol "IRC".
  const auto irssi = Keys({{"alice@irc.example", "IRC"}});
  auto key = ChooseChatKey(irssi, Options());
  ASSERT_TRUE(key.ok()) << key.error();
  EXPECT_EQ((*key)->protocol, "IRC");
  // The only key, whatever its account and protocol.
  auto only = ChooseChatKey(Keys({{"al@elsewhere", "IRC"}}), Options());
  ASSERT_TRUE(only.ok()) << only.error();
  // --protocol still chooses, and says what there is when nothing fits.
  auto wrong = ChooseChatKey(irssi, Options({"--protocol", "prpl-irc"}));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().find("alice@irc.example (IRC)"), std::string::npos) << wrong.error();
}

TEST(ChatKeyTest, ChoosesAmongSeveral) {
  const auto keys = Keys({{"alice@irc.example", "prpl-irc"},
                          {"alice@irc.example", "IRC"},
                          {"carol@other", "prpl-irc"}});
  auto both = ChooseChatKey(keys, Options());
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().find("--protocol"), std::string::npos) << both.error();
  auto irc = ChooseChatKey(keys, Options({"--protocol", "IRC"}));
  ASSERT_TRUE(irc.ok()) << irc.error();
  EXPECT_EQ((*irc)->protocol, "IRC");
  auto carol = ChooseChatKey(keys, Options({"--account", "carol@other"}));
  ASSERT_TRUE(carol.ok()) << carol.error();
  EXPECT_EQ((*carol)->account_name, "carol@other");
  auto none = ChooseChatKey(Keys({{"x@y", "IRC"}, {"z@w", "IRC"}}), Options());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("--account"), std::string::npos) << none.error();
  EXPECT_FALSE(ChooseChatKey(Keys({}), Options()).ok());
}

TEST(ChatUsageTest, ListsThePromptCommands) {
  EXPECT_NE(kChatUsage.find("--irc HOST:PORT"), std::string_view::npos);
  bool has_me = false;
  for (std::string_view h : kChatCommandHelp) has_me = has_me || h.rfind("/me ", 0) == 0;
  EXPECT_TRUE(has_me);
  EXPECT_TRUE(WantsHelp({"--help"}));
  EXPECT_TRUE(WantsHelp({"--nick", "a", "-h"}));
  EXPECT_FALSE(WantsHelp({"--", "--help"}));
  EXPECT_FALSE(WantsHelp({}));
}

}  // namespace
}  // namespace otr::tools
