// Prints a libotr transcript (a development aid for the conformance tests).
#include <cstdio>

#include "tests/v3/libotr_capture.h"

int main() {
  for (bool v3 : {true, false}) {
    otr::testing::LibotrTranscript t = otr::testing::RunLibotrConversation(v3);
    std::printf("v3=%d encrypted=%d smp=%d tlv_chains=%zu\n", v3, t.encrypted, t.smp_successes,
                t.tlv_chains.size());
    for (const auto& s : t.armored) std::printf("%.60s... (%zu)\n", s.c_str(), s.size());
    for (const auto& c : t.tlv_chains) {
      for (const auto& r : c.records) std::printf("  tlv %u len %zu\n", r.first, r.second.size());
    }
  }
}
