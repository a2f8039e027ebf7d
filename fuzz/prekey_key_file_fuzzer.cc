// Fuzzes the otr-prekey-server's key file reader (tools/prekey_server/
// key_file.h, ParseKeyFile): whatever parses is 114 hex digits and a
// newline; written back (FormatKeyFile) it is the input in uppercase and
// reads back to the same key pair.
#include <cctype>
#include <cstddef>
#include <cstdint>

#include "crypto/backends.h"
#include "tools/prekey_server/key_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::crypto::Backend& backend = otr::crypto::DefaultBackend();
  auto key = otr::prekey_server::ParseKeyFile(backend, otr::ByteView(data, size));
  if (!key.ok()) return 0;
  const otr::crypto::SecretBytes text = otr::prekey_server::FormatKeyFile(key->sym_key);
  if (text.size() != size) __builtin_trap();
  for (size_t i = 0; i < size; ++i) {
    if (text.data()[i] != std::toupper(data[i])) __builtin_trap();
  }
  auto again = otr::prekey_server::ParseKeyFile(backend, text.view());
  if (!again.ok() || !backend.Ed448Equal(again->pub, key->pub) ||
      !(again->sym_key == key->sym_key)) {
    __builtin_trap();
  }
  return 0;
}
