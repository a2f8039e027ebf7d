// The set of OTR protocol versions a peer offers in a Query Message or a
// whitespace tag (v3 spec "OTR Query Messages", "Tagged plaintext messages";
// v4 spec "Query Messages", "Whitespace Tags").
//
// A set holds the versions 1..kMaxRecognizedVersion: 4 is recognised (v4's
// query identifier "4" and whitespace tag), so a peer's offer of v4 is
// visible, while kMaxKnownVersion, the highest version this build speaks,
// stays 3 until a v4 decoder exists. Supported() is what the peer offers
// that we speak. Higher identifiers are dropped (the spec says unknown
// identifiers are "hypothetical future versions").
#ifndef OTR_PROTOCOL_WIRE_VERSION_SET_H_
#define OTR_PROTOCOL_WIRE_VERSION_SET_H_

#include <cstdint>
#include <initializer_list>

namespace otr::wire {

inline constexpr int kMinKnownVersion = 1;
inline constexpr int kMaxKnownVersion = 3;       // the versions we speak
inline constexpr int kMaxRecognizedVersion = 4;  // the versions a set can hold

class VersionSet {
 public:
  constexpr VersionSet() = default;
  constexpr VersionSet(std::initializer_list<int> versions) {
    for (int v : versions) Add(v);
  }

  // A version we speak.
  static constexpr bool IsKnown(int version) {
    return version >= kMinKnownVersion && version <= kMaxKnownVersion;
  }
  // A version a set can hold: one we speak, or v4.
  static constexpr bool IsRecognized(int version) {
    return version >= kMinKnownVersion && version <= kMaxRecognizedVersion;
  }

  // Versions that are not recognised are ignored.
  constexpr void Add(int version) {
    if (IsRecognized(version)) bits_ |= Bit(version);
  }
  constexpr bool Has(int version) const {
    return IsRecognized(version) && (bits_ & Bit(version)) != 0;
  }
  // The versions of this set that we speak.
  constexpr VersionSet Supported() const {
    VersionSet set;
    for (int v = kMinKnownVersion; v <= kMaxKnownVersion; ++v) {
      if (Has(v)) set.Add(v);
    }
    return set;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  static constexpr VersionSet FromBits(uint32_t bits) {
    VersionSet set;
    for (int v = kMinKnownVersion; v <= kMaxRecognizedVersion; ++v) {
      if ((bits & Bit(v)) != 0) set.Add(v);
    }
    return set;
  }

  friend constexpr bool operator==(VersionSet a, VersionSet b) { return a.bits_ == b.bits_; }

 private:
  static constexpr uint32_t Bit(int version) { return uint32_t{1} << version; }
  uint32_t bits_ = 0;
};

}  // namespace otr::wire

#endif  // OTR_PROTOCOL_WIRE_VERSION_SET_H_
