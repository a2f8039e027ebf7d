// The v2/v3 transition tables rendered as markdown (docs/state-tables-v3.md).
#ifndef OTR_PROTOCOL_V3_STATE_RENDER_H_
#define OTR_PROTOCOL_V3_STATE_RENDER_H_

#include <string>

namespace otr::v3 {

std::string RenderTablesMarkdown();

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_STATE_RENDER_H_
