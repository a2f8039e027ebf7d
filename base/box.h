// Box<T>: a value of T held on the heap, or nothing, copied deeply. For the
// large parts of an object that are absent most of its life (an AKE's
// exchange between AKEs, the SMP state of a session that never ran SMP):
// the owner pays a pointer for them instead of their size
// (docs/decisions/0032). Unlike std::unique_ptr it copies (the owners are
// copied for staging and snapshots), and unlike std::optional it holds no
// inline storage. Constness is deep: a const Box gives a const T.
#ifndef OTR_BASE_BOX_H_
#define OTR_BASE_BOX_H_

#include <memory>
#include <utility>

namespace otr {

template <typename T>
class Box {
 public:
  Box() = default;
  Box(const Box& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Box& operator=(const Box& other) {
    if (this == &other) return *this;
    if (!other.value_) {
      value_.reset();
    } else if (value_) {
      *value_ = *other.value_;  // reuses the allocation
    } else {
      value_ = std::make_unique<T>(*other.value_);
    }
    return *this;
  }
  Box(Box&&) noexcept = default;
  Box& operator=(Box&&) noexcept = default;

  // Makes the value (replacing any); `args` go to T's constructor.
  template <typename... Args>
  T& emplace(Args&&... args) {
    value_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *value_;
  }
  // Holds `value`: moved into the held T when there is one (no allocation).
  T& Set(T&& value) {
    if (value_) {
      *value_ = std::move(value);
      return *value_;
    }
    return emplace(std::move(value));
  }
  void reset() { value_.reset(); }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T* get() { return value_.get(); }
  const T* get() const { return value_.get(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }

 private:
  std::unique_ptr<T> value_;
};

}  // namespace otr

#endif  // OTR_BASE_BOX_H_
