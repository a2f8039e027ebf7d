// docs/state-tables-v3.md must be what the tables render to today.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "protocol/v3/state/render.h"

TEST(TablesDoc, IsCurrent) {
  std::ifstream in("docs/state-tables-v3.md");
  ASSERT_TRUE(in) << "docs/state-tables-v3.md missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), otr::v3::RenderTablesMarkdown())
      << "stale: run bazel run //protocol/v3/state:render_tables > docs/state-tables-v3.md";
}
