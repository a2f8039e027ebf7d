// Writes the seed corpora of the private-key, fingerprint and instance-tag
// file fuzzers from files libotr 4.1.1 writes:
//   bazel run //tests/store:write_libotr_store_corpus -- $PWD/fuzz/corpus
// Test keys only; nothing here is anyone's identity.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

// libotr's headers depend on each other's order.
// clang-format off
extern "C" {
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
}
// clang-format on

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fuzz/corpus dir>\n", argv[0]);
    return 2;
  }
  const std::string root = argv[1];
  OTRL_INIT;
  OtrlUserState us = otrl_userstate_create();
  const std::string keys = root + "/privkey_file_fuzzer/libotr_two_accounts";
  if (otrl_privkey_generate(us, keys.c_str(), "alice@example.com", "prpl-jabber") ||
      otrl_privkey_generate(us, keys.c_str(), "\x01 c\xc3\xa9line \"q\"", "9irc")) {
    return 1;
  }
  // One account alone too (libotr rewrites the whole file each time).
  OtrlUserState one = otrl_userstate_create();
  const std::string single = root + "/privkey_file_fuzzer/libotr_one_account";
  if (otrl_privkey_generate(one, single.c_str(), "bob", "irc")) return 1;

  const char* trusts[] = {"verified", nullptr, "smp"};
  for (int i = 0; i < 3; ++i) {
    ConnContext* c =
        otrl_context_find(us, i < 2 ? "bob@x" : "carol", "alice@example.com", "prpl-jabber",
                          OTRL_INSTAG_MASTER, 1, nullptr, nullptr, nullptr);
    unsigned char fp[20];
    for (int k = 0; k < 20; ++k) fp[k] = static_cast<unsigned char>(i * 31 + k * 13);
    otrl_context_set_trust(otrl_context_find_fingerprint(c, fp, 1, nullptr), trusts[i]);
  }
  const std::string fps = root + "/fingerprint_file_fuzzer/libotr_three_entries";
  if (otrl_privkey_write_fingerprints(us, fps.c_str())) return 1;

  // Instance tags: drawn by otrl_instag_generate (which rewrites the file
  // for each account), and a hand-made file read and written back by libotr
  // (comments, CR LF, uppercase and the tags below 0x100 that it skips).
  const std::string tags = root + "/instag_file_fuzzer/libotr_generated";
  if (otrl_instag_generate(us, tags.c_str(), "alice@example.com", "prpl-jabber") ||
      otrl_instag_generate(us, tags.c_str(), "\x01 c\xc3\xa9line \"q\"", "IRC") ||
      otrl_instag_generate(us, tags.c_str(), "bob", "prpl-irc")) {
    return 1;
  }
  const std::string odd = root + "/instag_file_fuzzer/libotr_rewritten";
  {
    std::FILE* f = std::fopen(odd.c_str(), "wb");
    if (f == nullptr) return 1;
    std::fputs("# a comment\n\na\tb\tABCDEF01\r\nc\td\t000000ff\ne\tf\t00000100\n", f);
    std::fclose(f);
  }
  OtrlUserState rewritten = otrl_userstate_create();
  if (otrl_instag_read(rewritten, odd.c_str()) || otrl_instag_write(rewritten, odd.c_str())) {
    return 1;
  }
  std::printf("%s\n%s\n%s\n%s\n", Slurp(keys).substr(0, 200).c_str(), Slurp(fps).c_str(),
              Slurp(tags).c_str(), Slurp(odd).c_str());
  otrl_userstate_free(us);
  otrl_userstate_free(one);
  otrl_userstate_free(rewritten);
  return 0;
}
