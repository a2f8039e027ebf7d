// The v4 transition table rendered as markdown (docs/state-tables-v4.md).
#ifndef OTR_PROTOCOL_V4_STATE_RENDER_H_
#define OTR_PROTOCOL_V4_STATE_RENDER_H_

#include <string>

namespace otr::v4 {

std::string RenderTablesMarkdown();

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_STATE_RENDER_H_
