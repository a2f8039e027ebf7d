// One-time initialisation of libgcrypt, shared by every entry point of the
// gcrypt backend.
#ifndef OTR_CRYPTO_GCRYPT_INIT_H_
#define OTR_CRYPTO_GCRYPT_INIT_H_

namespace otr::crypto::gcrypt_internal {

// Initialises libgcrypt once per process (thread-safe). Tolerates another
// library (libotr's otrl_init) having initialised it before or after us.
// Returns false if the run-time libgcrypt is older than the headers.
bool EnsureInitialized();

// For failures of libgcrypt that no input can cause (a digest or cipher the
// library always provides refusing to open): reports and aborts, as
// libgcrypt itself does when it runs out of memory.
[[noreturn]] void LibraryInvariantFailed(const char* what);

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_INIT_H_
