// Outcome<T>: a value or a message for the user. The tools report failures
// with paths and system error text, which base/error.h's static contexts
// cannot carry; library errors are turned into Outcome at the tool's edge.
#ifndef OTR_TOOLS_OUTCOME_H_
#define OTR_TOOLS_OUTCOME_H_

#include <string>
#include <utility>
#include <variant>

namespace otr::tools {

struct Failure {
  std::string message;
};

template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Outcome(Failure f) : state_(std::move(f)) {}    // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<Failure>(state_).message; }

 private:
  std::variant<T, Failure> state_;
};

struct Done {};  // Outcome<Done>: success with no value

}  // namespace otr::tools

#endif  // OTR_TOOLS_OUTCOME_H_
