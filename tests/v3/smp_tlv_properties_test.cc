// Round-trip properties of the v3 SMP TLV bodies (otr v3 spec, "SMP message
// 1" ... "SMP message 4", TLV type 7: a question, NUL, then SMP message 1):
// every body decodes to what was encoded, and whatever decodes re-encodes
// to exactly its input (fuzz/README.md, "Decoders").
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "protocol/v3/smp_tlv.h"

namespace otr::v3 {
namespace {

// A minimal big-endian MPI value of at most kMaxSmpMpiSize bytes.
Bytes Mpi() {
  Bytes b = *rc::gen::container<Bytes>(rc::gen::arbitrary<uint8_t>());
  if (b.size() > kMaxSmpMpiSize) b.resize(kMaxSmpMpiSize);
  b.erase(b.begin(), std::find_if(b.begin(), b.end(), [](uint8_t x) { return x != 0; }));
  return b;
}

template <typename T>
T Body() {
  T m;
  for (auto field : T::kFields) m.*field = Mpi();
  return m;
}

RC_GTEST_PROP(SmpTlvProperty, BodiesRoundTrip, ()) {
  const Smp1 m1 = Body<Smp1>();
  const Smp2 m2 = Body<Smp2>();
  const Smp3 m3 = Body<Smp3>();
  const Smp4 m4 = Body<Smp4>();
  RC_ASSERT(DecodeSmp1(EncodeSmp1(m1)).value() == m1);
  RC_ASSERT(DecodeSmp2(EncodeSmp2(m2)).value() == m2);
  RC_ASSERT(DecodeSmp3(EncodeSmp3(m3)).value() == m3);
  RC_ASSERT(DecodeSmp4(EncodeSmp4(m4)).value() == m4);
  Smp1Q q;
  q.question = *rc::gen::container<Bytes>(rc::gen::inRange<uint8_t>(1, 255));
  q.smp1 = m1;
  auto encoded = EncodeSmp1Q(q);
  RC_ASSERT(encoded.ok());
  RC_ASSERT(DecodeSmp1Q(*encoded).value() == q);
}

RC_GTEST_PROP(SmpTlvProperty, DecodedBytesReencodeExactly, (const Bytes& value)) {
  if (auto m = DecodeSmp1(value); m.ok()) RC_ASSERT(EncodeSmp1(*m) == value);
  if (auto m = DecodeSmp2(value); m.ok()) RC_ASSERT(EncodeSmp2(*m) == value);
  if (auto m = DecodeSmp3(value); m.ok()) RC_ASSERT(EncodeSmp3(*m) == value);
  if (auto m = DecodeSmp4(value); m.ok()) RC_ASSERT(EncodeSmp4(*m) == value);
  if (auto m = DecodeSmp1Q(value); m.ok()) RC_ASSERT(EncodeSmp1Q(*m).value() == value);
}

}  // namespace
}  // namespace otr::v3
