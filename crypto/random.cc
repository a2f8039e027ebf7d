#include "crypto/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace otr::crypto {

void OsRandom::Fill(MutableByteView out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // No randomness means no safe way forward; never continue with zeros.
      std::abort();
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace otr::crypto
