// Looks into every heap block as it is freed for a given byte string, to
// check that a secret never sits in memory returned to the allocator
// unwiped (issue 14: plain vectors that grow, plain Bytes holding values
// derived from secrets). Linking this library replaces free() (plain builds)
// or installs the sanitizer allocator's free hook (ASan), so it is testonly.
#ifndef OTR_TESTS_CRYPTO_FREED_MEMORY_SCAN_H_
#define OTR_TESTS_CRYPTO_FREED_MEMORY_SCAN_H_

#include <cstddef>

#include "base/bytes.h"

namespace otr::testing {

// While alive, counts the freed blocks that contain `needle` (at least 8
// bytes; a copy is kept in a buffer the scan never frees while it runs).
// One scan at a time.
class FreedMemoryScan {
 public:
  explicit FreedMemoryScan(ByteView needle);
  ~FreedMemoryScan();
  FreedMemoryScan(const FreedMemoryScan&) = delete;
  FreedMemoryScan& operator=(const FreedMemoryScan&) = delete;

  // Freed blocks seen holding the needle so far.
  size_t hits() const;
  // Freed blocks looked at so far (> 0 shows the hook is live).
  size_t blocks_scanned() const;
};

}  // namespace otr::testing

#endif  // OTR_TESTS_CRYPTO_FREED_MEMORY_SCAN_H_
