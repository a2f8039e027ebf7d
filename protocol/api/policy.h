// OTR policies (otr v3 spec, "Policies"; v4 spec, "Policies" and "OTRv4
// Modes"): the flags, the v4 mode, and the usual presets.
#ifndef OTR_PROTOCOL_API_POLICY_H_
#define OTR_PROTOCOL_API_POLICY_H_

#include "base/result.h"

namespace otr {

// The three v4 modes (shared/specs/otr-v4-modes/). Only v3-compatible speaks
// v3; the other two are v4 only, and interactive-only refuses offline
// (prekey) conversations.
enum class V4Mode { kV3Compatible, kV4Standalone, kV4InteractiveOnly };

// Which OTRv4 the v4 engine speaks (issue 20, decision 0025): the
// specification (the default), or libotr-ng's variant of it, the opt-in
// compatibility profile that talks to libotr-ng / pidgin-otrng
// (docs/libotr-ng-deviations.md). A spec session refuses libotr-ng's
// messages with an event naming the variant; a libotr-ng session speaks
// only the variant (its offline start reads libotr-ng's ensembles and
// Non-Interactive-Auth; our prekey client does not publish in its bytes).
enum class V4Variant { kSpec, kLibotrNg };

struct Policy {
  bool allow_v1 = false;  // never honoured: v1 is parsed, never negotiated
  bool allow_v2 = false;
  bool allow_v3 = false;
  bool allow_v4 = false;  // v4 (otrv4.md); needs a v4 identity in the session
  V4Mode v4_mode = V4Mode::kV3Compatible;
  bool require_encryption = false;
  bool send_whitespace_tag = false;
  bool whitespace_start_ake = false;
  bool error_start_ake = false;
  V4Variant v4_variant = V4Variant::kSpec;  // never kLibotrNg unless asked

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

  // The v4-only modes (shared/specs/otr-v4-modes/): always encrypted, no
  // v3; plaintext is never sent (REQUIRE_ENCRYPTION).
  static Policy V4Standalone() {
    return Policy{.allow_v4 = true,
                  .v4_mode = V4Mode::kV4Standalone,
                  .require_encryption = true,
                  .whitespace_start_ake = true,
                  .error_start_ake = true};
  }
  static Policy V4InteractiveOnly() {
    Policy p = V4Standalone();
    p.v4_mode = V4Mode::kV4InteractiveOnly;
    return p;
  }

  bool AnyVersion() const { return allow_v2 || allow_v3 || allow_v4; }
  // Whether a v3 (or v2) conversation may happen at all: v4-standalone and
  // v4-interactive-only reject every request for one (otrv4.md "OTRv4
  // Modes": "If a client implements ... and a request for an OTRv3
  // conversation arrives, reject this request").
  bool SpeaksV3() const { return v4_mode == V4Mode::kV3Compatible && (allow_v2 || allow_v3); }
  // The same policy with version 4 allowed too (v3-compatible mode): a v4
  // capable client that still falls back to v3/v2 when the peer only
  // speaks those (otrv4.md "Requesting Conversation with Older OTR
  // Versions").
  Policy WithV4() const {
    Policy p = *this;
    p.allow_v4 = true;
    return p;
  }

  // Refuses what cannot work, with the reason:
  //   ALLOW_V1 (version 1 is insecure and never negotiated here);
  //   REQUIRE_ENCRYPTION without any version (nothing could ever be sent:
  //   "OTR is completely disabled" would send it in the clear);
  //   a v4-only mode (standalone, interactive-only) with ALLOW_V2/ALLOW_V3,
  //   or without ALLOW_V4.
  Status Validate() const {
    if (allow_v1) {
      return MakeError(ErrorCode::kUnsupportedVersion,
                       "Policy: ALLOW_V1 is refused (v1 is insecure)");
    }
    if (require_encryption && !AnyVersion()) {
      return MakeError(ErrorCode::kInvalidPolicy,
                       "Policy: REQUIRE_ENCRYPTION needs at least one allowed version");
    }
    if (v4_mode != V4Mode::kV3Compatible) {
      if (allow_v2 || allow_v3) {
        return MakeError(ErrorCode::kInvalidPolicy,
                         "Policy: the v4-standalone and v4-interactive-only modes speak only "
                         "v4: turn ALLOW_V2 and ALLOW_V3 off, or use the v3-compatible mode");
      }
      if (!allow_v4) {
        return MakeError(ErrorCode::kInvalidPolicy, "Policy: a v4-only mode needs ALLOW_V4");
      }
    }
    if (v4_variant == V4Variant::kLibotrNg && !allow_v4) {
      return MakeError(ErrorCode::kInvalidPolicy,
                       "Policy: the libotr-ng compatibility profile needs ALLOW_V4");
    }
    return Status::Ok();
  }
};

}  // namespace otr

#endif  // OTR_PROTOCOL_API_POLICY_H_
