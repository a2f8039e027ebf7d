#include "crypto/gcrypt/mpi_codec.h"

#include <algorithm>

namespace otr::crypto::gcrypt_internal {
namespace {

Mpi Scan(ByteView big_endian) {
  if (big_endian.empty()) return NewMpi();
  gcry_mpi_t mpi = nullptr;
  if (gcry_mpi_scan(&mpi, GCRYMPI_FMT_USG, big_endian.data(), big_endian.size(), nullptr) != 0) {
    return nullptr;
  }
  return Mpi(mpi);
}

// Number of bytes of the minimal unsigned encoding.
size_t EncodedSize(gcry_mpi_t mpi) {
  size_t size = 0;
  if (gcry_mpi_print(GCRYMPI_FMT_USG, nullptr, 0, &size, mpi) != 0) return 0;
  return size;
}

}  // namespace

void MarkSecret(Mpi& mpi) {
  if (gcry_mpi_get_flag(mpi.get(), GCRYMPI_FLAG_SECURE)) return;
  if (gcry_mpi_cmp_ui(mpi.get(), 0) == 0) {
    mpi = NewSecretMpi();
    return;
  }
  gcry_mpi_set_flag(mpi.get(), GCRYMPI_FLAG_SECURE);
}

Mpi MpiFromBigEndian(ByteView big_endian) { return Scan(big_endian); }

Mpi SecretMpiFromBigEndian(ByteView big_endian) {
  Mpi mpi = big_endian.empty() ? NewSecretMpi() : Scan(big_endian);
  if (mpi) MarkSecret(mpi);
  return mpi;
}

Mpi MpiFromLittleEndian(ByteView little_endian) {
  Bytes reversed(little_endian.rbegin(), little_endian.rend());
  return Scan(reversed);
}

Mpi SecretMpiFromLittleEndian(ByteView little_endian) {
  SecretBytes reversed(little_endian.size());
  std::reverse_copy(little_endian.begin(), little_endian.end(), reversed.data());
  return SecretMpiFromBigEndian(reversed.view());
}

Bytes MpiToBigEndian(gcry_mpi_t mpi) {
  Bytes out(EncodedSize(mpi));
  size_t written = 0;
  if (!out.empty() && gcry_mpi_print(GCRYMPI_FMT_USG, out.data(), out.size(), &written, mpi) != 0) {
    return Bytes();
  }
  out.resize(written);
  return out;
}

SecretBytes MpiToSecretBigEndian(gcry_mpi_t mpi) {
  SecretBytes out(EncodedSize(mpi));
  size_t written = 0;
  if (!out.empty() && gcry_mpi_print(GCRYMPI_FMT_USG, out.data(), out.size(), &written, mpi) != 0) {
    return SecretBytes();
  }
  return out;
}

bool MpiToFixedBigEndian(gcry_mpi_t mpi, MutableByteView out) {
  std::fill(out.begin(), out.end(), 0);
  size_t size = EncodedSize(mpi);
  if (size > out.size()) return false;
  if (size == 0) return true;
  size_t written = 0;
  return gcry_mpi_print(GCRYMPI_FMT_USG, out.data() + (out.size() - size), size, &written, mpi) ==
             0 &&
         written == size;
}

bool MpiToFixedLittleEndian(gcry_mpi_t mpi, MutableByteView out) {
  if (!MpiToFixedBigEndian(mpi, out)) return false;
  std::reverse(out.begin(), out.end());
  return true;
}

}  // namespace otr::crypto::gcrypt_internal
