// Fuzzes the decodings of crypto/ that take bytes from a peer, on every
// backend at once (fuzz/README.md, "Decoders", the crypto/ rows), after a
// first byte that picks:
//   0: an Ed448 POINT (Backend::Ed448Decode: openssl's decaf isogeny
//      DecodeToInternal, libgcrypt's DecodeOnCurve / DecodeValidated)
//   1: an Ed448 SCALAR (Backend::Ed448ScalarDecode)
//   2: big-endian integers as the MPI arithmetic reads them (a base, an
//      exponent and an odd modulus: BnFromBytes, MpiFromBigEndian,
//      ParseOddModulus), split at the second byte
// Checks: every backend accepts or refuses alike (same error code); a
// decoded point re-encodes to its input and the backends' points are
// equal; a decoded scalar is its input; ModExpPublic and JacobiPublic agree.
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "crypto/backends.h"

namespace {

using namespace otr;
using crypto::Backend;

void CheckPoint(ByteView encoded) {
  const Backend* first = nullptr;
  Result<crypto::Ed448Point> first_point = MakeError(ErrorCode::kInvalidEncoding, "");
  for (const Backend* backend : crypto::AllBackends()) {
    auto point = backend->Ed448Decode(encoded);
    if (point.ok()) {
      const crypto::Ed448Encoding again = backend->Ed448Encode(*point);
      if (!std::equal(again.begin(), again.end(), encoded.begin(), encoded.end())) {
        __builtin_trap();
      }
    }
    if (first == nullptr) {
      first = backend;
      first_point = std::move(point);
      continue;
    }
    if (point.ok() != first_point.ok()) __builtin_trap();
    if (!point.ok() && point.error().code != first_point.error().code) __builtin_trap();
  }
}

void CheckScalar(ByteView encoded) {
  bool have = false;
  bool ok = false;
  ErrorCode code = ErrorCode::kInvalidEncoding;
  for (const Backend* backend : crypto::AllBackends()) {
    auto scalar = backend->Ed448ScalarDecode(encoded);
    if (scalar.ok() &&
        !std::equal(scalar->view().begin(), scalar->view().end(), encoded.begin(), encoded.end())) {
      __builtin_trap();
    }
    if (have && (scalar.ok() != ok || (!ok && scalar.error().code != code))) __builtin_trap();
    have = true;
    ok = scalar.ok();
    if (!ok) code = scalar.error().code;
  }
}

void CheckIntegers(ByteView body) {
  if (body.size() < 2) return;
  const size_t a = body[0] % (body.size() - 1);
  const ByteView rest = body.subspan(2);
  const size_t cut1 = std::min<size_t>(a, rest.size());
  const size_t cut2 = std::min<size_t>(cut1 + body[1] % 16 + 1, rest.size());
  const ByteView base = rest.first(cut1);
  const ByteView exponent = rest.subspan(cut1, cut2 - cut1);
  Bytes modulus(rest.begin() + static_cast<long>(cut2), rest.end());
  if (modulus.empty() || modulus.size() > 400) return;
  modulus.back() |= 1;  // odd (JacobiPublic's n)
  bool have = false;
  Result<Bytes> first_exp = Bytes{};
  Result<int> first_jacobi = 0;
  for (const Backend* backend : crypto::AllBackends()) {
    auto exp = backend->ModExpPublic(base, exponent, modulus);
    auto jacobi = backend->JacobiPublic(base, modulus);
    if (have) {
      if (exp.ok() != first_exp.ok() || (exp.ok() && *exp != *first_exp)) __builtin_trap();
      if (jacobi.ok() != first_jacobi.ok() || (jacobi.ok() && *jacobi != *first_jacobi)) {
        __builtin_trap();
      }
    }
    have = true;
    first_exp = std::move(exp);
    first_jacobi = std::move(jacobi);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView body(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      CheckPoint(body);
      break;
    case 1:
      CheckScalar(body);
      break;
    default:
      CheckIntegers(body);
      break;
  }
  return 0;
}
