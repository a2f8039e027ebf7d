// The wipe of a received plaintext's decoded copy, shared by the v2/v3 and
// v4 engines (each has its own DataPayload: protocol/v3/tlv.h,
// protocol/v4/messages/tlv.h). DESIGN.md principle 5: a secret is wiped when
// it is no longer needed; the decoded message and TLV values are the
// plaintext the peer sent.
#ifndef OTR_PROTOCOL_API_PAYLOAD_WIPE_H_
#define OTR_PROTOCOL_API_PAYLOAD_WIPE_H_

#include "base/bytes.h"
#include "crypto/secret_bytes.h"

namespace otr {

// Wipes the decoded copy of a received plaintext (its message, every
// record's value and, for v4, an incomplete tail: otrv4.md "Data Message
// Format", "stop processing it") when the delivery ends, whichever way it
// ends. `Payload` is a version's DataPayload: `message` and each of `tlvs`'
// `value` are Bytes; `incomplete_tail`, where the version has it, too.
template <typename Payload>
class PayloadWipe {
 public:
  explicit PayloadWipe(Payload& payload) : payload_(payload) {}
  ~PayloadWipe() {
    Wipe(payload_.message);
    for (auto& record : payload_.tlvs) Wipe(record.value);
    if constexpr (requires { payload_.incomplete_tail; }) Wipe(payload_.incomplete_tail);
  }
  PayloadWipe(const PayloadWipe&) = delete;
  PayloadWipe& operator=(const PayloadWipe&) = delete;

 private:
  static void Wipe(Bytes& bytes) { crypto::SecureWipe(bytes.data(), bytes.size()); }

  Payload& payload_;
};

}  // namespace otr

#endif  // OTR_PROTOCOL_API_PAYLOAD_WIPE_H_
