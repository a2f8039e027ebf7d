// OTR policies (otr v3 spec, "Policies"): the flags, and the usual presets.
#ifndef OTR_PROTOCOL_API_POLICY_H_
#define OTR_PROTOCOL_API_POLICY_H_

#include "base/result.h"

namespace otr {

struct Policy {
  bool allow_v1 = false;  // never honoured: v1 is parsed, never negotiated
  bool allow_v2 = false;
  bool allow_v3 = false;
  bool require_encryption = false;
  bool send_whitespace_tag = false;
  bool whitespace_start_ake = false;
  bool error_start_ake = false;

  // OTR off: no special handling of messages at all.
  static Policy Never() { return Policy{}; }
  // Speak OTR only when someone starts it.
  static Policy Manual() { return Policy{.allow_v2 = true, .allow_v3 = true}; }
  // Advertise with the whitespace tag and start when the peer can.
  static Policy Opportunistic() {
    return Policy{.allow_v2 = true,
                  .allow_v3 = true,
                  .send_whitespace_tag = true,
                  .whitespace_start_ake = true,
                  .error_start_ake = true};
  }
  // Never send a message unencrypted.
  static Policy Always() {
    return Policy{.allow_v2 = true,
                  .allow_v3 = true,
                  .require_encryption = true,
                  .whitespace_start_ake = true,
                  .error_start_ake = true};
  }

  bool AnyVersion() const { return allow_v2 || allow_v3; }

  // ALLOW_V1 is refused: version 1 is insecure and never negotiated here.
  Status Validate() const {
    if (allow_v1) {
      return MakeError(ErrorCode::kUnsupportedVersion,
                       "Policy: ALLOW_V1 is refused (v1 is insecure)");
    }
    return Status::Ok();
  }
};

}  // namespace otr

#endif  // OTR_PROTOCOL_API_POLICY_H_
