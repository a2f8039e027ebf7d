#include "protocol/v4/state/render.h"

#include "protocol/smp/smp_table.h"
#include "protocol/table/markdown.h"
#include "protocol/v4/state/conversation_table.h"

namespace otr::v4 {

std::string RenderTablesMarkdown() {
  std::string out =
      "# OTRv4 state table\n\n"
      "Generated from protocol/v4/state/conversation_table.h by\n"
      "`bazel run //protocol/v4/state:render_tables > docs/state-tables-v4.md`;\n"
      "//protocol/v4/state:tables_doc_test fails when this file is stale.\n"
      "The engine executes the first row for (state, event) whose guard holds.\n"
      "The two states \"ENCRYPTED_MESSAGES, new DAKE in ...\" keep the established\n"
      "conversation while a new DAKE runs (docs/decisions/0010-v4-replayed-identity.md).\n"
      "v3 queries, tags and messages go to the v3 engine in the v3-compatible mode\n"
      "and are refused in the v4-only modes (the session's routing).\n\n";
  out += table::RenderMarkdown<ProtocolRow>("Protocol state", kProtocolTable);
  out += table::RenderMarkdown<smp::SmpRow>(
      "SMP state (smpstate, shared by every version: protocol/smp)", smp::kSmpTable);
  return out;
}

}  // namespace otr::v4
