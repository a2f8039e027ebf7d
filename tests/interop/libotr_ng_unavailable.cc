// Stands in for libotr_ng_gen when @libotr_ng could not build libotr-ng
// (third_party/libotr_ng/repository.bzl): it prints why and fails, so every
// test that needs the peer fails with the reason instead of skipping.
#include <cstdio>

#include "third_party/libotr_ng/libotr_ng_status.h"

int main() {
  static_assert(!kLibotrNgAvailable, "the stub is built only when libotr-ng is unavailable");
  std::fprintf(stderr,
               "libotr-ng (the OTRv4 peer) could not be built, so this test cannot run:\n%s\n",
               kLibotrNgStatus);
  return 1;
}
