// Expiration and renewal of Client and Prekey Profiles as pure functions of
// an explicit time (otrv4.md, "Client Profile", "Client Profile Expiration
// and Renewal", "Prekey Profile", "Prekey Profile Expiration and Renewal").
// No clock: `now` and the expiration are seconds since the Unix epoch, as
// CLIENT-PROF-EXP and PREKEY-PROF-EXP ("8 bytes signed value"). Every
// function is total over int64_t (a hostile expiration of INT64_MIN or
// INT64_MAX saturates, it does not overflow).
#ifndef OTR_PROTOCOL_V4_PROFILE_EXPIRATION_H_
#define OTR_PROTOCOL_V4_PROFILE_EXPIRATION_H_

#include <cstdint>

namespace otr::v4::profile {

inline constexpr int64_t kOneDay = 24 * 60 * 60;

// "The recommended expiration time is one week" (both profiles).
inline constexpr int64_t kRecommendedLifetime = 7 * kOneDay;

// "for a short amount of time (decided by the client) a Client Profile can
// still be locally used even if it has publicly expired ... A recommended
// amount of time for this extra validity time is of 1 day." (The same for
// the Prekey Profile.) libotr-ng uses 2 days.
inline constexpr int64_t kRecommendedExtraValidity = kOneDay;

// How long before expiry a profile is renewed. The spec gives no number:
// "Before the Client Profile expires, the user must publish an updated
// Client Profile with a new expiration date ... The client establishes the
// frequency of expiration and when to publish (before the current Client
// Profile expires)". We renew one day ahead, the same span as the extra
// validity, so that a client that is online at least once a day always has
// a published, unexpired profile (libotr-ng renews 57 minutes ahead).
inline constexpr int64_t kDefaultRenewalMargin = kOneDay;

// A profile has expired from its expiration time on: expired exactly when
// now >= expiration (libotr-ng: difftime(expires, now) <= 0). This is the
// rule of "Validating a Client Profile" step 4 and "Validating a Prekey
// Profile" step 3.
bool IsExpired(int64_t expiration, int64_t now);

// The extra validity: an expired profile of our own may still be used
// locally (to validate and decrypt delayed offline messages) while
// now < expiration + extra_validity.
bool IsUsableLocally(int64_t expiration, int64_t now,
                     int64_t extra_validity = kRecommendedExtraValidity);

// True from `margin` seconds before expiry on (and once expired): time to
// create, sign and publish a renewed profile.
bool ShouldRenew(int64_t expiration, int64_t now, int64_t margin = kDefaultRenewalMargin);

// The expiration of a profile created or renewed at `now`: now + lifetime,
// saturating at INT64_MAX.
int64_t ExpirationFrom(int64_t now, int64_t lifetime = kRecommendedLifetime);

}  // namespace otr::v4::profile

#endif  // OTR_PROTOCOL_V4_PROFILE_EXPIRATION_H_
