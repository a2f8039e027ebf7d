// Constant-time table look-up for the gcrypt exponentiations (modexp.cc,
// fixed_base.cc): reads every entry, so no address depends on the index.
#ifndef OTR_CRYPTO_GCRYPT_CT_SELECT_H_
#define OTR_CRYPTO_GCRYPT_CT_SELECT_H_

#include <cstddef>
#include <cstdint>

#include "crypto/secret_bytes.h"

namespace otr::crypto::gcrypt_internal {

// out = entry `index` of `table`, `count` entries of out.size() bytes each.
inline void ConstantTimeSelect(const uint8_t* table, uint32_t count, uint32_t index,
                               SecretBytes& out) {
  const size_t width = out.size();
  for (size_t k = 0; k < width; ++k) out[k] = 0;
  for (uint32_t j = 0; j < count; ++j) {
    const uint32_t diff = j ^ index;                                 // 0 iff equal
    const uint32_t nonzero = (diff | (0u - diff)) >> 31;             // 1 iff diff != 0
    const uint8_t mask = static_cast<uint8_t>(0u - (nonzero ^ 1u));  // 0xff iff equal
    const uint8_t* entry = table + j * width;
    for (size_t k = 0; k < width; ++k) out[k] |= entry[k] & mask;
  }
}

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_CT_SELECT_H_
