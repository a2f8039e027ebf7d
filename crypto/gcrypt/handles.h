// RAII owners for every libgcrypt handle used by the gcrypt backend: each
// handle is released (and, for MPIs, wiped by libgcrypt) when its owner goes
// out of scope. No handle outlives the call that created it, so nothing is
// held across a change of libgcrypt's allocation handlers (libotr installs
// its own in otrl_init), with one exception: the keyed contexts of
// keyed.h (KeyedHmac, KeyedAes128Ctr) keep their handle for their
// lifetime. A process that also runs libotr must call otrl_init before it
// creates them (before any gcrypt-backed session exchanges data).
#ifndef OTR_CRYPTO_GCRYPT_HANDLES_H_
#define OTR_CRYPTO_GCRYPT_HANDLES_H_

#include <gcrypt.h>

#include <memory>
#include <type_traits>

namespace otr::crypto::gcrypt_internal {

struct MpiDeleter {
  void operator()(gcry_mpi_t mpi) const { gcry_mpi_release(mpi); }
};
struct SexpDeleter {
  void operator()(gcry_sexp_t sexp) const { gcry_sexp_release(sexp); }
};
struct CtxDeleter {
  void operator()(gcry_ctx_t ctx) const { gcry_ctx_release(ctx); }
};
struct PointDeleter {
  void operator()(gcry_mpi_point_t point) const { gcry_mpi_point_release(point); }
};
struct MdDeleter {
  void operator()(gcry_md_hd_t md) const { gcry_md_close(md); }
};
struct CipherDeleter {
  void operator()(gcry_cipher_hd_t cipher) const { gcry_cipher_close(cipher); }
};

// The gcry_*_t types are pointers; unique_ptr owns what they point to.
using Mpi = std::unique_ptr<std::remove_pointer_t<gcry_mpi_t>, MpiDeleter>;
using Sexp = std::unique_ptr<std::remove_pointer_t<gcry_sexp_t>, SexpDeleter>;
using Ctx = std::unique_ptr<std::remove_pointer_t<gcry_ctx_t>, CtxDeleter>;
using Point = std::unique_ptr<std::remove_pointer_t<gcry_mpi_point_t>, PointDeleter>;
using Md = std::unique_ptr<std::remove_pointer_t<gcry_md_hd_t>, MdDeleter>;
using Cipher = std::unique_ptr<std::remove_pointer_t<gcry_cipher_hd_t>, CipherDeleter>;

// A fresh MPI with value zero; `secure` allocates it in libgcrypt's secure
// memory and marks it secret (see mpi_codec.h, MarkSecret).
inline Mpi NewMpi() { return Mpi(gcry_mpi_new(0)); }
inline Mpi NewSecretMpi() { return Mpi(gcry_mpi_snew(0)); }
inline Point NewPoint() { return Point(gcry_mpi_point_new(0)); }

}  // namespace otr::crypto::gcrypt_internal

#endif  // OTR_CRYPTO_GCRYPT_HANDLES_H_
