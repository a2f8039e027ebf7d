// Prints docs/state-tables-v4.md.
#include <cstdio>

#include "protocol/v4/state/render.h"

int main() {
  std::fputs(otr::v4::RenderTablesMarkdown().c_str(), stdout);
  return 0;
}
