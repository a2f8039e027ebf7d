// OTR_TABLE_ENUM declares an `enum class` for a state table together with its
// names for export, from one list so the two cannot drift:
//
//   #define MY_STATES(X) X(kNone, "AUTHSTATE_NONE") X(kAwaitingDhKey, "...")
//   OTR_TABLE_ENUM(AuthState, MY_STATES)
//
// gives `enum class AuthState { kNone, kAwaitingDhKey, kCount }` and
// `constexpr std::string_view Name(AuthState)`.
#ifndef OTR_PROTOCOL_TABLE_ENUM_H_
#define OTR_PROTOCOL_TABLE_ENUM_H_

#include <cstddef>
#include <string_view>

#define OTR_TABLE_ENUM_VALUE_(id, label) id,
#define OTR_TABLE_ENUM_LABEL_(id, label) label,

#define OTR_TABLE_ENUM(Type, LIST)                                                 \
  enum class Type { LIST(OTR_TABLE_ENUM_VALUE_) kCount };                          \
  constexpr std::string_view Name(Type value) {                                    \
    constexpr std::string_view kLabels[] = {LIST(OTR_TABLE_ENUM_LABEL_) "kCount"}; \
    return kLabels[static_cast<std::size_t>(value)];                               \
  }

#endif  // OTR_PROTOCOL_TABLE_ENUM_H_
