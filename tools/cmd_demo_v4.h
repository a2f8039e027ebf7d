// `otr demo --version 4`: the v4 conversation and its wiretap
// (cmd_demo_v4.cc); cmd_demo.cc parses the options and calls it.
#ifndef OTR_TOOLS_CMD_DEMO_V4_H_
#define OTR_TOOLS_CMD_DEMO_V4_H_

#include <cstddef>

#include "crypto/backend.h"

namespace otr::tools {

struct DemoV4Options {
  int messages = 4;
  size_t max_size = 400;
  bool wire = false;
  bool color = false;
};

int RunDemoV4(const DemoV4Options& options, const crypto::Backend& backend);

}  // namespace otr::tools

#endif  // OTR_TOOLS_CMD_DEMO_V4_H_
