// Round trips of the programs' own readers (their fuzzers:
// fuzz/prekey_program_config_fuzzer, prekey_key_file_fuzzer,
// xmpp_jid_fuzzer): otr-prekey-server's configuration file and key file,
// and the JID helpers of tools/xmpp.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>

#include "crypto/backends.h"
#include "crypto/secret_bytes.h"
#include "protocol/v4/crypto/keys.h"
#include "tools/prekey_server/key_file.h"
#include "tools/prekey_server/program_config.h"
#include "tools/xmpp/jid.h"

namespace otr {
namespace {

// A value the configuration file can hold: no '#', no line break, no blank
// at either end; not empty.
rc::Gen<std::string> ConfigValue() {
  return rc::gen::map(
      rc::gen::nonEmpty(rc::gen::container<std::string>(
          rc::gen::oneOf(rc::gen::inRange<char>('0', '9' + 1), rc::gen::inRange<char>('a', 'z' + 1),
                         rc::gen::element(':', '.', '/', '=', '-', ' ', '@', '\t')))),
      [](std::string s) { return "v" + s + "v"; });
}

RC_GTEST_PROP(ProgramReaders, ConfigFileRoundTrip, ()) {
  prekey_server::ProgramConfig config;
  const std::string component = *ConfigValue();
  // component: no '@', '/' or space.
  config.component = component.find_first_of("@/ ") == std::string::npos ? component : "prekey.x";
  config.xmpp_host = *ConfigValue();
  config.xmpp_port = *rc::gen::inRange<uint16_t>(1, 65535);
  config.secret_file = *rc::gen::oneOf(rc::gen::just(std::string()), ConfigValue());
  config.storage = *ConfigValue();
  config.key_file = *ConfigValue();
  config.max_message_size =
      *rc::gen::oneOf(rc::gen::just<size_t>(0), rc::gen::inRange<size_t>(512, (1u << 24) + 1));
  config.purge_interval = *rc::gen::inRange<int64_t>(1, 86400 * 7 + 1);
  config.accept_libotr_ng = *rc::gen::arbitrary<bool>();
  const std::string text = prekey_server::FormatProgramConfigText(config);
  prekey_server::ProgramConfig parsed;
  std::string error;
  RC_ASSERT(prekey_server::ParseProgramConfigText(text, "t", &parsed, &error));
  RC_ASSERT(parsed == config);
}

TEST(ProgramReaders, ConfigFileErrorsNameTheLine) {
  prekey_server::ProgramConfig config;
  std::string error;
  EXPECT_FALSE(prekey_server::ParseProgramConfigText("# c\ncomponent = x\nport 5\n", "f.conf",
                                                     &config, &error));
  EXPECT_EQ(error, "f.conf:3: 'key = value' expected");
  EXPECT_EQ(config.component, "x");
  EXPECT_FALSE(prekey_server::ParseProgramConfigText(std::string(4097, 'a'), "f", &config, &error));
  EXPECT_EQ(error, "f: too long");
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "# line\n";
  EXPECT_FALSE(prekey_server::ParseProgramConfigText(many, "f", &config, &error));
  EXPECT_TRUE(prekey_server::ParseProgramConfigText(many.substr(7), "f", &config, &error));
}

RC_GTEST_PROP(ProgramReaders, KeyFileRoundTrip, ()) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  crypto::SecretBytes sym(v4::kSymKeySize);
  for (size_t i = 0; i < sym.size(); ++i) sym.data()[i] = *rc::gen::arbitrary<uint8_t>();
  const crypto::SecretBytes text = prekey_server::FormatKeyFile(sym);
  RC_ASSERT(text.size() == 2 * v4::kSymKeySize + 1);
  auto parsed = prekey_server::ParseKeyFile(backend, text.view());
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed->sym_key == sym);
  auto derived = v4::DeriveEd448KeyPair(backend, sym);
  RC_ASSERT(derived.ok());
  RC_ASSERT(backend.Ed448Equal(parsed->pub, derived->pub));
}

RC_GTEST_PROP(ProgramReaders, JidParts, ()) {
  const auto part = [](const char* forbidden) {
    return rc::gen::suchThat(rc::gen::string<std::string>(), [forbidden](const std::string& s) {
      return s.find_first_of(forbidden) == std::string::npos;
    });
  };
  const std::string local = *part("@/"), domain = *part("@/");
  const std::string resource = *rc::gen::string<std::string>();
  const std::string bare = local + "@" + domain;
  RC_ASSERT(xmpp::BareJid(bare + "/" + resource) == bare);
  RC_ASSERT(xmpp::BareJid(bare) == bare);
  RC_ASSERT(xmpp::JidDomain(bare + "/" + resource) == domain);
  RC_ASSERT(xmpp::JidDomain(domain) == domain);
}

}  // namespace
}  // namespace otr
