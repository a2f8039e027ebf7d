// The prekey server program's pieces that run without XMPP: configuration
// (file and flags), log lines (escaping), the key file, JIDs.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "tools/prekey_server/key_file.h"
#include "tools/prekey_server/log_line.h"
#include "tools/prekey_server/program_config.h"
#include "tools/xmpp/jid.h"

namespace otr::prekey_server {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name + std::to_string(getpid());
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path) << text;
  return path;
}

TEST(ProgramConfig, FileThenFlags) {
  const std::string file = WriteFile("a.conf",
                                     "# comment\n"
                                     "component = prekey.localhost  # trailing\n"
                                     "xmpp_server = 127.0.0.1:5999\n"
                                     "secret_file = /s\n"
                                     "storage = sqlite:/x.db\n");
  ProgramConfig c;
  std::string error;
  ASSERT_TRUE(ParseProgramConfig({"--config", file, "--storage=memory:", "--check"}, &c, &error))
      << error;
  EXPECT_EQ(c.component, "prekey.localhost");
  EXPECT_EQ(c.xmpp_host, "127.0.0.1");
  EXPECT_EQ(c.xmpp_port, 5999);
  EXPECT_EQ(c.storage, "memory:");  // the flag wins
  EXPECT_TRUE(c.check);
  EXPECT_EQ(c.max_message_size, 65536u);
}

// accept_libotr_ng (prekey::ServerConfig::accept_libotr_ng, decision 0034):
// off unless asked for, from the file or a flag (the flag winning).
TEST(ProgramConfig, AcceptLibotrNg) {
  ProgramConfig c;
  std::string error;
  ASSERT_TRUE(ParseProgramConfig({"--component", "p", "--secret-file", "/s"}, &c, &error)) << error;
  EXPECT_FALSE(c.accept_libotr_ng);
  const std::string file = WriteFile("ng.conf",
                                     "component = prekey.localhost\n"
                                     "secret_file = /s\n"
                                     "accept_libotr_ng = true\n");
  ProgramConfig from_file;
  ASSERT_TRUE(ParseProgramConfig({"--config", file}, &from_file, &error)) << error;
  EXPECT_TRUE(from_file.accept_libotr_ng);
  ProgramConfig overridden;
  ASSERT_TRUE(
      ParseProgramConfig({"--config", file, "--accept-libotr-ng=false"}, &overridden, &error))
      << error;
  EXPECT_FALSE(overridden.accept_libotr_ng);
  ProgramConfig flag;
  ASSERT_TRUE(ParseProgramConfig(
      {"--component", "p", "--secret-file", "/s", "--accept-libotr-ng", "true"}, &flag, &error))
      << error;
  EXPECT_TRUE(flag.accept_libotr_ng);
  EXPECT_NE(FormatProgramConfigText(flag).find("accept_libotr_ng = true\n"), std::string::npos);
  for (const char* bad : {"yes", "1", "", "TRUE"}) {
    ProgramConfig refused;
    EXPECT_FALSE(ParseProgramConfig(
        {"--component", "p", "--secret-file", "/s", std::string("--accept-libotr-ng=") + bad},
        &refused, &error))
        << bad;
    EXPECT_EQ(error, "--accept_libotr_ng: accept_libotr_ng: true or false");
  }
}

// --help needs nothing else and names every setting.
TEST(ProgramConfig, Help) {
  ProgramConfig c;
  std::string error;
  ASSERT_TRUE(ParseProgramConfig({"--storage=memory:", "--help"}, &c, &error)) << error;
  EXPECT_TRUE(c.help);
  EXPECT_EQ(c.storage, ProgramConfig().storage);
  for (const char* key : {"component", "xmpp_server", "secret_file", "storage", "key_file",
                          "max_message_size", "purge_interval", "accept_libotr_ng", "--check"}) {
    EXPECT_NE(ProgramUsage().find(key), std::string_view::npos) << key;
  }
}

TEST(ProgramConfig, Refusals) {
  const std::vector<std::vector<std::string>> bad = {
      {"--component", "prekey.localhost"},                           // no secret_file
      {"--secret-file", "/s"},                                       // no component
      {"--component", "a@b", "--secret-file", "/s"},                 // not a component JID
      {"--component", "p", "--secret-file", "/s", "--colour", "x"},  // unknown
      {"--component", "p", "--secret-file", "/s", "--xmpp-server", "host"},
      {"--component", "p", "--secret-file", "/s", "--xmpp-server", "h:70000"},
      {"--component", "p", "--secret-file", "/s", "--max-message-size", "100"},
      {"--component", "p", "--secret-file", "/s", "--purge-interval", "0"},
      {"--component", "p", "--secret-file", "/s", "stray"},
      {"--component"},
      {"--config", "/nonexistent/file"},
  };
  for (const auto& args : bad) {
    ProgramConfig c;
    std::string error;
    EXPECT_FALSE(ParseProgramConfig(args, &c, &error)) << args.back();
    EXPECT_FALSE(error.empty());
  }
  const std::string file = WriteFile("b.conf", "component prekey.localhost\n");
  ProgramConfig c;
  std::string error;
  EXPECT_FALSE(ParseProgramConfig({"--config", file}, &c, &error));
  EXPECT_NE(error.find(":1:"), std::string::npos) << error;
}

TEST(LogLine, EscapesWhatAPeerControls) {
  EXPECT_EQ(FormatLogLine(5, "published", {{"from", "bob@localhost"}, {"count", "5"}}),
            "ts=5 event=published from=bob@localhost count=5");
  // A JID with a newline and a fake field cannot forge a line or a field.
  EXPECT_EQ(FormatLogLine(5, "x", {{"from", "a\nts=1 event=y"}}),
            "ts=5 event=x from=\"a\\x0ats=1 event=y\"");
  EXPECT_EQ(FormatLogLine(5, "x", {{"v", "say \"hi\""}, {"e", ""}}),
            "ts=5 event=x v=\"say \\\"hi\\\"\" e=\"\"");
  EXPECT_EQ(FormatLogLine(5, "x", {{"v", "\\\x7f\xc3"}}), "ts=5 event=x v=\\x5c\\x7f\\xc3");
}

TEST(KeyFile, CreatedOnceThenLoaded) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::OsRandom random;
  const std::string path = TempPath("server.key");
  unlink(path.c_str());
  bool created = false;
  auto first = LoadOrCreateKey(backend, random, path, &created);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(created);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = LoadOrCreateKey(backend, random, path, &created);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(FingerprintHex(backend, *first), FingerprintHex(backend, *second));
  EXPECT_EQ(FingerprintHex(backend, *first).size(), 112u);
  unlink(path.c_str());
}

TEST(KeyFile, MalformedRefused) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::OsRandom random;
  bool created = false;
  for (const std::string& text : {std::string("abc\n"), std::string(114, 'g') + "\n",
                                  std::string(114, 'a'), std::string(116, 'a') + "\n"}) {
    const std::string path = WriteFile("bad.key", text);
    auto key = LoadOrCreateKey(backend, random, path, &created);
    EXPECT_FALSE(key.ok());
    EXPECT_FALSE(created);
    // Never replaced.
    std::ifstream in(path);
    std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(back, text);
    unlink(path.c_str());
  }
}

TEST(Jid, BareAndDomain) {
  EXPECT_EQ(xmpp::BareJid("alice@localhost/notebook"), "alice@localhost");
  EXPECT_EQ(xmpp::BareJid("alice@localhost"), "alice@localhost");
  EXPECT_EQ(xmpp::BareJid("prekey.localhost"), "prekey.localhost");
  EXPECT_EQ(xmpp::JidDomain("alice@localhost/a/b"), "localhost");
  EXPECT_EQ(xmpp::JidDomain("prekey.localhost"), "prekey.localhost");
}

}  // namespace
}  // namespace otr::prekey_server
