// Box<T> (base/box.h, decision 0032): the boxed parts of conversations and
// sessions are copied for row staging and snapshots, so a copy must be a
// separate value, and an empty box must stay empty.
#include "base/box.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>

namespace otr {
namespace {

TEST(BoxTest, StartsEmptyAndCopiesEmpty) {
  Box<std::string> empty;
  EXPECT_FALSE(empty);
  EXPECT_EQ(empty.get(), nullptr);
  Box<std::string> copy = empty;
  EXPECT_FALSE(copy);
  Box<std::string> full;
  full.emplace("x");
  full = empty;  // assigning an empty box empties
  EXPECT_FALSE(full);
}

TEST(BoxTest, CopiesAreSeparateValues) {
  Box<std::string> a;
  a.emplace("staged");
  Box<std::string> b = a;
  ASSERT_TRUE(b);
  EXPECT_NE(b.get(), a.get());
  *b += " and changed";
  EXPECT_EQ(*a, "staged");  // changing the copy leaves the original
  EXPECT_EQ(*b, "staged and changed");

  Box<std::string> c;
  c.emplace("other");
  const std::string* held = c.get();
  c = a;  // copy-assigning into a full box reuses its allocation
  EXPECT_EQ(c.get(), held);
  EXPECT_EQ(*c, "staged");
  *c = "again";
  EXPECT_EQ(*a, "staged");
}

TEST(BoxTest, SetReusesAndMoveEmpties) {
  Box<std::string> a;
  a.Set("first");
  const std::string* held = a.get();
  a.Set("second");
  EXPECT_EQ(a.get(), held);
  EXPECT_EQ(*a, "second");
  Box<std::string> b = std::move(a);
  EXPECT_EQ(b.get(), held);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): a moved-from box is empty
  a.reset();
  b.reset();
  EXPECT_FALSE(b);
}

TEST(BoxTest, ConstBoxGivesConstValue) {
  Box<std::string> a;
  a.emplace("read only");
  const Box<std::string>& view = a;
  static_assert(std::is_same_v<decltype(*view), const std::string&>);
  static_assert(std::is_same_v<decltype(view.get()), const std::string*>);
  EXPECT_EQ(view->size(), 9u);
}

}  // namespace
}  // namespace otr
