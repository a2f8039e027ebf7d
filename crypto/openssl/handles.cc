#include "crypto/openssl/handles.h"

#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

namespace otr::crypto::openssl {

void FatalUnless(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "otr openssl backend: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

}  // namespace otr::crypto::openssl
