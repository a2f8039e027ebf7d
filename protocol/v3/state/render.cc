#include "protocol/v3/state/render.h"

#include "protocol/smp/smp_table.h"
#include "protocol/table/markdown.h"
#include "protocol/v3/state/auth_table.h"
#include "protocol/v3/state/message_table.h"

namespace otr::v3 {

std::string RenderTablesMarkdown() {
  std::string out =
      "# OTR v2/v3 state tables\n\n"
      "Generated from protocol/v3/state/*_table.h by\n"
      "`bazel run //protocol/v3/state:render_tables > docs/state-tables-v3.md`;\n"
      "//protocol/v3/state:tables_doc_test fails when this file is stale.\n"
      "The engine executes the first row for (state, event) whose guard holds.\n\n";
  out += table::RenderMarkdown<MessageRow>("Message state (msgstate)", kMessageTable);
  out += table::RenderMarkdown<AuthRow>("Authentication state (authstate)", kAuthTable);
  out += table::RenderMarkdown<smp::SmpRow>(
      "SMP state (smpstate, shared by every version: protocol/smp)", smp::kSmpTable);
  return out;
}

}  // namespace otr::v3
