// The life of a Client Profile and a Prekey Profile, as their owner makes
// them (protocol/v4/profile): created from fuzzed parameters (otrv4.md
// "Creating a Client Profile", "Creating a Prekey Profile"), with and
// without an OTRv3 DSA key (the Transitional Signature), renewed ("Client
// Profile Expiration and Renewal"), changed and re-signed by the owner, and
// validated at fuzzed times by fuzzed senders ("Validating a Client
// Profile", "Validating a Prekey Profile"). v4_profile_fuzzer reaches the
// validation only through decoding, and the stateful targets' parties
// always have valid profiles; here the owner holds sym_h, so a changed
// profile gets a signature that verifies and the later rules (instance tag,
// versions, the Transitional Signature) are what refuses it. The keys are
// fuzz/support's fixed parties over FuzzBackend (the stand-in in a fuzzing
// build, which still refuses a bad signature).
//
// Input: bytes read in order (ByteSource, zeros past the end):
//   [who][flags][tag 4][expiry hours lo, hi][versions length] versions
//   [time hours lo, hi][sender][change][renew hours lo, hi][prekey flags]
// flags bit 0: a DSA key; bit 1: publish it; bit 2: sym_h of the wrong
// length; bit 3: sign with the other party's sym_h after the change.
// Invariants: creation refuses exactly the parameters the header says it
// refuses; a created profile validates for its owner's tag before its
// expiration; a change re-signed by the owner is refused by the rule that
// covers it (and never accepted when that rule is broken); every refusal
// has a name; a renewed profile validates until its new expiration; the
// same for the Prekey Profile, under H and not under another key.
#include <cstddef>
#include <cstdint>
#include <string>

#include "crypto/secret_bytes.h"
#include "fuzz/support/fixed_keys.h"
#include "fuzz/support/fuzz_backend.h"
#include "fuzz/support/harness.h"
#include "fuzz/support/v4_harness.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/expiration.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/v4/profile/profile_status.h"

namespace {

using namespace otr;
using namespace otr::fuzzing;
using namespace otr::v4::profile;
using v4::ClientProfile;
using v4::PrekeyProfile;

constexpr int64_t kNow = static_cast<int64_t>(kV4StartTime);

int64_t Hours(ByteSource& in) {
  const int16_t h = static_cast<int16_t>(in.Next() | in.Next() << 8);
  return int64_t{h} * 3600;
}

void Named(const ProfileStatus& s) {
  if (!s.ok() && ProfileErrorName(s.error()).empty()) OTR_FUZZ_FAIL();
}

bool HasAny(const std::string& versions, const char* chars) {
  return versions.find_first_of(chars) != std::string::npos;
}

// A profile the owner changed and signed again: refused by the rule for
// the change, or accepted when the change broke none.
void ChangeAndResign(const crypto::Backend& backend, const v4::Identity& id,
                     const ClientProfile& created, uint8_t change, wire::InstanceTag tag) {
  ClientProfile p = created;
  std::optional<ProfileError> expected;
  switch (change % 6) {
    case 0:
      p.owner_instance_tag = change >> 3;  // below 0x100
      expected = ProfileError::kClientProfileBadInstanceTag;
      break;
    case 1:
      p.versions = (change & 8) ? "41" : "24";
      expected = ProfileError::kClientProfileVersionsWith1Or2;
      break;
    case 2:
      p.versions = "3";
      expected = ProfileError::kClientProfileVersionsWithout4;
      break;
    case 3:
      if (!p.dsa_public_key || !p.transitional_signature) return;
      p.transitional_signature.reset();
      expected = ProfileError::kClientProfileTransitionalSignatureMissing;
      break;
    case 4:
      if (!p.dsa_public_key || !p.transitional_signature) return;
      (*p.transitional_signature)[change % p.transitional_signature->size()] ^= 1;
      expected = ProfileError::kClientProfileBadTransitionalSignature;
      break;
    default:
      // The owner's own: no change but the signature's bytes.
      p.signature[change % p.signature.size()] ^= 0x40;
      expected = ProfileError::kClientProfileBadSignature;
      if (!ValidateClientProfile(backend, p, tag, p.expiration - 1).ok()) return;
      OTR_FUZZ_FAIL();  // a changed signature verified
  }
  if (!SignClientProfile(backend, id.long_term.sym_key, p).ok()) OTR_FUZZ_FAIL();
  // Before it expires: the rules before the changed one hold.
  const ProfileStatus s = ValidateClientProfile(backend, p, p.owner_instance_tag, p.expiration - 1);
  Named(s);
  if (s.ok() || s.error() != *expected) OTR_FUZZ_FAIL();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const crypto::Backend& backend = FuzzBackend();
  ByteSource in(ByteView(data, size));
  const int who = in.Next() % 2;
  const v4::Identity& id = FixedV4Identity(who);
  const v4::Identity& other = FixedV4Identity(1 - who);
  const uint8_t flags = in.Next();
  const wire::InstanceTag tag = in.Next32();
  ClientProfileParams params;
  params.owner_instance_tag = tag;
  params.forging_key = id.forging_key;
  params.expiration = kNow + Hours(in);
  params.versions.clear();
  for (size_t n = in.Next() % 8; n > 0; --n)
    params.versions.push_back(static_cast<char>(in.Next()));
  if (flags & 1) params.dsa_key = &FixedKey(who);
  params.publish_dsa_key = (flags & 2) != 0;
  crypto::SecretBytes short_key(ByteView(id.long_term.sym_key.view().data(), 56));
  const crypto::SecretBytes& sym_h = (flags & 4) ? short_key : id.long_term.sym_key;
  crypto::testing::DeterministicRandom random(size);

  auto created = CreateClientProfile(backend, sym_h, params, random);
  const bool should_fail =
      (flags & 4) || tag < wire::kMinInstanceTag || params.versions.size() > v4::kMaxVersionsSize ||
      params.versions.find('4') == std::string::npos || HasAny(params.versions, "12");
  if (created.ok() == should_fail) OTR_FUZZ_FAIL();
  // Renewal of the fixed profile too (no DSA key: a profile without one).
  const int64_t at = kNow + Hours(in);
  const wire::InstanceTag sender = (in.Next() & 1) ? tag : tag ^ 1;
  const uint8_t change = in.Next();
  const int64_t renewal = kNow + Hours(in);
  const uint8_t prekey_flags = in.Next();
  if (created.ok()) {
    const ClientProfile& p = *created;
    if (p.transitional_signature.has_value() != (params.dsa_key != nullptr)) OTR_FUZZ_FAIL();
    if (p.dsa_public_key.has_value() != (params.dsa_key != nullptr && params.publish_dsa_key)) {
      OTR_FUZZ_FAIL();
    }
    if (!VerifyClientProfileSignature(backend, p).ok()) OTR_FUZZ_FAIL();
    const ProfileStatus s = ValidateClientProfile(backend, p, sender, at);
    Named(s);
    const bool valid_then = sender == tag && !IsExpired(p.expiration, at);
    if (s.ok() != valid_then) OTR_FUZZ_FAIL();
    ChangeAndResign(backend, id, p, change, tag);
    // The other party cannot sign it: its sym_h is not the key of H.
    ClientProfile stolen = p;
    if (SignClientProfile(backend, other.long_term.sym_key, stolen).ok()) OTR_FUZZ_FAIL();
    // "Client Profile Expiration and Renewal".
    const crypto::DsaPrivateKey* dsa = (change & 0x80) ? nullptr : params.dsa_key;
    auto renewed = RenewClientProfile(backend, id.long_term.sym_key, p, renewal, dsa, random);
    if (renewed.ok() != (!p.transitional_signature || dsa != nullptr)) OTR_FUZZ_FAIL();
    if (renewed.ok()) {
      const ProfileStatus r = ValidateClientProfile(backend, *renewed, tag, renewal - 1);
      Named(r);
      if (!r.ok()) OTR_FUZZ_FAIL();
    }
  }

  // "Creating a Prekey Profile": D is a valid point (F stands in for it).
  PrekeyProfileParams pp;
  pp.owner_instance_tag = tag;
  pp.expiration = params.expiration;
  pp.shared_prekey = id.forging_key;
  auto prekey = CreatePrekeyProfile(backend, sym_h, pp);
  if (prekey.ok() != (!(flags & 4) && tag >= wire::kMinInstanceTag)) OTR_FUZZ_FAIL();
  if (!prekey.ok()) return 0;
  const v4::Point& h = id.client_profile.public_key;
  const ProfileStatus ps = ValidatePrekeyProfile(backend, *prekey, h, sender, at);
  Named(ps);
  if (ps.ok() != (sender == tag && !IsExpired(pp.expiration, at))) OTR_FUZZ_FAIL();
  // Under another party's H: never.
  const ProfileStatus wrong =
      ValidatePrekeyProfile(backend, *prekey, other.client_profile.public_key, tag, kNow);
  Named(wrong);
  if (wrong.ok()) OTR_FUZZ_FAIL();
  if (prekey_flags & 1) {
    // Re-signed by the owner with a tag below 0x100, or another D.
    PrekeyProfile changed = *prekey;
    if (prekey_flags & 2) {
      changed.owner_instance_tag = prekey_flags >> 2;
    } else {
      changed.shared_prekey[prekey_flags % changed.shared_prekey.size()] ^= 0x80;
    }
    if (!SignPrekeyProfile(backend, id.long_term.sym_key, changed).ok()) OTR_FUZZ_FAIL();
    const ProfileStatus c =
        ValidatePrekeyProfile(backend, changed, h, changed.owner_instance_tag, kNow);
    Named(c);
    if ((prekey_flags & 2) && c.ok()) OTR_FUZZ_FAIL();
  }
  auto renewed = RenewPrekeyProfile(backend, id.long_term.sym_key, *prekey, renewal);
  if (!renewed.ok()) OTR_FUZZ_FAIL();
  const ProfileStatus r = ValidatePrekeyProfile(backend, *renewed, h, tag, renewal - 1);
  Named(r);
  if (!r.ok()) OTR_FUZZ_FAIL();
  return 0;
}
