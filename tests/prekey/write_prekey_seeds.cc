// Writes the seed corpus of //fuzz:prekey_message_fuzzer: every example
// message (tests/prekey/examples.h), one file each, named by the SHA-1 of
// its contents as libFuzzer names corpus files. With --encoded instead of a
// directory, prints each example as it travels (base64 and "."), one a line,
// for `otr parse`'s test.
#include <openssl/sha.h>

#include <cstdio>
#include <string>

#include "protocol/prekey/messages/messages.h"
#include "protocol/wire/base64.h"
#include "tests/prekey/examples.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_prekey_seeds DIRECTORY | --encoded\n");
    return 2;
  }
  if (std::string(argv[1]) == "--encoded") {
    for (const otr::prekey::Message& m : otr::prekey::testing::AllExampleMessages()) {
      std::printf("%s.\n", otr::wire::EncodeBase64(otr::prekey::EncodeMessage(m)).c_str());
    }
    return 0;
  }
  for (const otr::prekey::Message& m : otr::prekey::testing::AllExampleMessages()) {
    const otr::Bytes bytes = otr::prekey::EncodeMessage(m);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(bytes.data(), bytes.size(), digest);
    std::string name;
    for (unsigned char c : digest) {
      static const char kHex[] = "0123456789abcdef";
      name += kHex[c >> 4];
      name += kHex[c & 15];
    }
    const std::string path = std::string(argv[1]) + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
    std::fclose(f);
  }
  return 0;
}
