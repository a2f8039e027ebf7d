// Fuzzes the decoders of the `libotr-ng` compatibility profile
// (protocol/v4/libotr_ng, issue 20): the recognizer a spec-exact session
// runs on every v4 message it refuses, libotr-ng's Data Message, its
// 336-byte ring signature, its signed Client Profile, the Client Profile
// key-type conversion, and its DAKE messages (Identity, Auth-R, Auth-I).
// Whatever decodes must re-encode to exactly the input; the conversion is
// its own inverse.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "crypto/backends.h"
#include "protocol/v4/libotr_ng/client_profile.h"
#include "protocol/v4/libotr_ng/dake.h"
#include "protocol/v4/libotr_ng/data_message.h"
#include "protocol/v4/libotr_ng/recognize.h"
#include "protocol/v4/libotr_ng/ring_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const otr::ByteView input(data, size);
  (void)otr::v4::libotr_ng::RecognizeVariant(input);

  if (auto m = otr::v4::libotr_ng::Decode(input); m.ok()) {
    if (otr::v4::libotr_ng::Encode(*m) != otr::Bytes(input.begin(), input.end())) {
      __builtin_trap();
    }
  }
  // A Client Profile's fields start after the 11-byte DAKE header in the
  // seeds; the conversion is tried on the input as given too.
  for (size_t skip : {size_t{0}, size_t{11}}) {
    if (size < skip) break;
    const otr::ByteView fields = input.subspan(skip);
    if (auto spec = otr::v4::libotr_ng::FieldsFromLibotrNg(fields); spec.ok()) {
      auto back = otr::v4::libotr_ng::FieldsToLibotrNg(*spec);
      if (!back.ok() || *back != otr::Bytes(fields.begin(), fields.end())) __builtin_trap();
    }
  }
  const otr::crypto::Backend& backend = otr::crypto::DefaultBackend();
  if (auto sigma = otr::v4::libotr_ng::DecodeRingSig(backend, input); sigma.ok()) {
    if (otr::v4::libotr_ng::EncodeRingSig(*sigma) != otr::Bytes(input.begin(), input.end())) {
      __builtin_trap();
    }
  }
  const otr::Bytes bytes(input.begin(), input.end());
  if (auto m = otr::v4::libotr_ng::DecodeIdentity(input); m.ok()) {
    if (otr::v4::libotr_ng::EncodeIdentity(*m) != bytes) __builtin_trap();
  }
  if (auto m = otr::v4::libotr_ng::DecodeAuthR(backend, input); m.ok()) {
    if (otr::v4::libotr_ng::EncodeAuthR(*m) != bytes) __builtin_trap();
  }
  if (auto m = otr::v4::libotr_ng::DecodeAuthI(backend, input); m.ok()) {
    if (otr::v4::libotr_ng::EncodeAuthI(*m) != bytes) __builtin_trap();
  }
  // A signed profile that verifies carries the input's signature: its last
  // 114 bytes (CLIENT-EDDSA-SIG).
  if (auto profile = otr::v4::libotr_ng::DecodeAndVerifyClientProfile(backend, input);
      profile.ok()) {
    const size_t n = profile->signature.size();
    if (size < n || !std::equal(profile->signature.begin(), profile->signature.end(),
                                input.end() - static_cast<std::ptrdiff_t>(n))) {
      __builtin_trap();
    }
  }
  return 0;
}
