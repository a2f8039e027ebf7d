// The set of OTR protocol versions a peer offers in a Query Message or a
// whitespace tag (v3 spec "OTR Query Messages", "Tagged plaintext messages").
// Versions above kMaxKnownVersion are parsed and dropped (the spec says
// unknown identifiers are "hypothetical future versions"); raising
// kMaxKnownVersion to 4 is all v4 needs here.
#ifndef OTR_PROTOCOL_WIRE_VERSION_SET_H_
#define OTR_PROTOCOL_WIRE_VERSION_SET_H_

#include <cstdint>
#include <initializer_list>

namespace otr::wire {

inline constexpr int kMinKnownVersion = 1;
inline constexpr int kMaxKnownVersion = 3;

class VersionSet {
 public:
  constexpr VersionSet() = default;
  constexpr VersionSet(std::initializer_list<int> versions) {
    for (int v : versions) Add(v);
  }

  static constexpr bool IsKnown(int version) {
    return version >= kMinKnownVersion && version <= kMaxKnownVersion;
  }

  // Unknown versions are ignored.
  constexpr void Add(int version) {
    if (IsKnown(version)) bits_ |= Bit(version);
  }
  constexpr bool Has(int version) const { return IsKnown(version) && (bits_ & Bit(version)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  static constexpr VersionSet FromBits(uint32_t bits) {
    VersionSet set;
    for (int v = kMinKnownVersion; v <= kMaxKnownVersion; ++v) {
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
