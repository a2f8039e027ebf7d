// Result<T>: a value or an Error. Status: success or an Error.
// No exceptions cross our interfaces; see docs/decisions/0002-result-type.md.
#ifndef OTR_BASE_RESULT_H_
#define OTR_BASE_RESULT_H_

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "base/error.h"

namespace otr {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(error) {}         // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  Error error() const {
    assert(!ok());
    return std::get<Error>(state_);
  }
  ErrorCode code() const { return error().code; }

 private:
  std::variant<T, Error> state_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(error) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  Error error() const {
    assert(!ok());
    return *error_;
  }
  ErrorCode code() const { return error().code; }

 private:
  std::optional<Error> error_;
};

inline Error MakeError(ErrorCode code, std::string_view context) { return Error{code, context}; }

}  // namespace otr

// Propagates the error of a Status or Result expression.
#define OTR_RETURN_IF_ERROR(expr)                      \
  do {                                                 \
    auto otr_status_ = (expr);                         \
    if (!otr_status_.ok()) return otr_status_.error(); \
  } while (0)

#define OTR_CONCAT_INNER_(a, b) a##b
#define OTR_CONCAT_(a, b) OTR_CONCAT_INNER_(a, b)

// OTR_ASSIGN_OR_RETURN(auto x, Expr()): binds the value or returns the error.
#define OTR_ASSIGN_OR_RETURN(lhs, expr) \
  OTR_ASSIGN_OR_RETURN_IMPL_(OTR_CONCAT_(otr_result_, __LINE__), lhs, expr)
#define OTR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.error();               \
  lhs = std::move(tmp).value()

#endif  // OTR_BASE_RESULT_H_
