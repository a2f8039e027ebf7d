// What a third party holding only the transcript knows: the Data Messages,
// the MAC keys revealed in them, and every D-H public value (g^y of D-H Key
// messages, each Data Message's next key, and g^x once a Reveal Signature
// has published the r that decrypts its D-H Commit).
#ifndef OTR_TESTS_PROPERTIES_PUBLIC_VIEW_H_
#define OTR_TESTS_PROPERTIES_PUBLIC_VIEW_H_

#include <cstddef>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "crypto/backend.h"
#include "protocol/v3/messages.h"
#include "tests/properties/driver.h"

namespace otr::properties {

// MAC keys revealed in transcript entries [0, end).
std::vector<v3::MacKey> RevealedKeys(const std::vector<Sent>& transcript, size_t end);

// Every D-H public value the transcript shows.
std::vector<Bytes> PublicDhValues(const crypto::Backend& backend,
                                  const std::vector<Sent>& transcript);

// A different plaintext of the same length, derived from `seed`.
Bytes ChosenPlaintext(const std::string& original, uint64_t seed);

// Does `needle` occur in `haystack`?
bool Contains(ByteView haystack, ByteView needle);

}  // namespace otr::properties

#endif  // OTR_TESTS_PROPERTIES_PUBLIC_VIEW_H_
