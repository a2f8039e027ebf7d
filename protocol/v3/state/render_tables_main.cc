// Prints docs/state-tables-v3.md.
#include <cstdio>

#include "protocol/v3/state/render.h"

int main() {
  std::fputs(otr::v3::RenderTablesMarkdown().c_str(), stdout);
  return 0;
}
