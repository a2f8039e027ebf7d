// Round trips of the decodings of crypto/ that fuzz/crypto_decoders_fuzzer.cc
// fuzzes (fuzz/README.md, "Decoders"), on every backend: an Ed448 point
// encoded by one backend decodes on all to the same point and re-encodes to
// the same bytes; a reduced scalar decodes to itself; the big-endian
// integers of the MPI arithmetic give the same results everywhere.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "base/bytes.h"
#include "crypto/backends.h"

namespace otr::crypto {
namespace {

rc::Gen<Bytes> BytesOfSize(size_t size) {
  return rc::gen::container<Bytes>(size, rc::gen::arbitrary<uint8_t>());
}

RC_GTEST_PROP(Ed448CodecProperty, EncodeDecodeRoundTrip, ()) {
  const Bytes seed = *BytesOfSize(kEd448ScalarSize);
  for (const Backend* maker : AllBackends()) {
    const SecretBytes scalar = maker->Ed448ScalarReduce(seed);
    RC_PRE(std::any_of(scalar.view().begin(), scalar.view().end(), [](uint8_t b) { return b; }));
    const Ed448Encoding encoded = maker->Ed448Encode(maker->Ed448MulBase(scalar));
    for (const Backend* reader : AllBackends()) {
      auto point = reader->Ed448Decode(encoded);
      RC_ASSERT(point.ok());
      RC_ASSERT(reader->Ed448Encode(*point) == encoded);
      RC_ASSERT(reader->Ed448Equal(*point, reader->Ed448MulBase(scalar)));
    }
  }
}

RC_GTEST_PROP(Ed448CodecProperty, ScalarDecodeRoundTrip, ()) {
  const Bytes wide = *BytesOfSize(2 * kEd448ScalarSize);
  for (const Backend* maker : AllBackends()) {
    const SecretBytes scalar = maker->Ed448ScalarReduce(wide);
    for (const Backend* reader : AllBackends()) {
      auto decoded = reader->Ed448ScalarDecode(scalar.view());
      RC_ASSERT(decoded.ok());
      RC_ASSERT(std::equal(decoded->view().begin(), decoded->view().end(), scalar.view().begin(),
                           scalar.view().end()));
    }
  }
}

// The MPI codecs (BnFromBytes, MpiFromBigEndian, ParseOddModulus) read
// the same integers: ModExpPublic and JacobiPublic agree on every backend.
RC_GTEST_PROP(MpiCodecProperty, BackendsReadIntegersAlike, ()) {
  const Bytes base = *rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>());
  const Bytes exponent =
      *rc::gen::resize(8, rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()));
  Bytes modulus = *rc::gen::suchThat(rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>()),
                                     [](const Bytes& m) { return !m.empty(); });
  modulus.back() |= 1;
  const auto backends = AllBackends();
  const auto exp = backends[0]->ModExpPublic(base, exponent, modulus);
  const auto jacobi = backends[0]->JacobiPublic(base, modulus);
  for (const Backend* other : backends.subspan(1)) {
    const auto e = other->ModExpPublic(base, exponent, modulus);
    RC_ASSERT(e.ok() == exp.ok());
    if (e.ok()) RC_ASSERT(*e == *exp);
    const auto j = other->JacobiPublic(base, modulus);
    RC_ASSERT(j.ok() == jacobi.ok());
    if (j.ok()) RC_ASSERT(*j == *jacobi);
  }
}

}  // namespace
}  // namespace otr::crypto
