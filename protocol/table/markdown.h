// Renders a transition table as a markdown table for docs/.
#ifndef OTR_PROTOCOL_TABLE_MARKDOWN_H_
#define OTR_PROTOCOL_TABLE_MARKDOWN_H_

#include <span>
#include <string>
#include <string_view>

#include "protocol/table/table.h"

namespace otr::table {

template <typename RowT>
std::string RenderMarkdown(std::string_view title, std::span<const RowT> rows) {
  std::string out;
  out += "## ";
  out += title;
  out += "\n\n| state | event | guard | actions | next state | spec |\n";
  out += "|---|---|---|---|---|---|\n";
  for (const RowT& row : rows) {
    std::string actions;
    for (auto action : row.actions) {
      if (static_cast<int>(action) == 0) continue;  // Action::kNone padding
      if (!actions.empty()) actions += ", ";
      actions += Name(action);
    }
    if (actions.empty()) actions = "-";
    out += "| " + std::string(Name(row.from)) + " | " + std::string(Name(row.event)) + " | " +
           std::string(Name(row.guard)) + " | " + actions + " | " + std::string(Name(row.to)) +
           " | " + std::string(row.spec) + " |\n";
  }
  out += "\n";
  return out;
}

}  // namespace otr::table

#endif  // OTR_PROTOCOL_TABLE_MARKDOWN_H_
