// Checks that every secret buffer given back while watching was all zeros
// (DESIGN.md: wiped when forgotten). A buffer larger than
// SecretBytes::kInlineSize is a new[] one: free_watch.cc replaces this
// binary's operator delete[] and checks it there. A smaller one lives inside
// its SecretBytes and never reaches delete[] (decision 0051): the registry's
// released hook checks it right after its wipe, whether or not the last
// WatchLiveSecrets saw it. One FreeWatch at a time; for the key-erasure
// properties (key_erasure_test, v4_key_erasure_test).
#ifndef OTR_TESTS_PROPERTIES_FREE_WATCH_H_
#define OTR_TESTS_PROPERTIES_FREE_WATCH_H_

#include <cstddef>

namespace otr::properties {

class FreeWatch {
 public:
  FreeWatch();   // installs the released hook; not checking yet
  ~FreeWatch();  // uninstalls it
  FreeWatch(const FreeWatch&) = delete;
  FreeWatch& operator=(const FreeWatch&) = delete;

  // Checks from now on (or not): call set_on(true) after the first
  // WatchLiveSecrets of a case, set_on(false) at its end.
  void set_on(bool on);
  // The heap buffers of the secrets live now are the ones delete[] checks.
  void WatchLiveSecrets();

  size_t checked_inline() const;  // at the released hook
  size_t checked_heap() const;    // at delete[]
  size_t dirty() const;           // either, not all zeros
};

}  // namespace otr::properties

#endif  // OTR_TESTS_PROPERTIES_FREE_WATCH_H_
