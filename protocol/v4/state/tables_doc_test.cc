// docs/state-tables-v4.md must be what the table renders to today.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "protocol/v4/state/render.h"

TEST(TablesDoc, IsCurrent) {
  std::ifstream in("docs/state-tables-v4.md");
  ASSERT_TRUE(in) << "docs/state-tables-v4.md missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), otr::v4::RenderTablesMarkdown())
      << "stale: run bazel run //protocol/v4/state:render_tables > docs/state-tables-v4.md";
}
