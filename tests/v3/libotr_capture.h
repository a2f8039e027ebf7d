// Two libotr 4.1.1 users talking to each other in memory through libotr's
// public API, with every injected "?OTR:" message captured: the conformance
// source for our v2/v3 message and TLV codecs.
#ifndef OTR_TESTS_V3_LIBOTR_CAPTURE_H_
#define OTR_TESTS_V3_LIBOTR_CAPTURE_H_

#include <string>
#include <vector>

#include "base/bytes.h"

namespace otr::testing {

struct LibotrTranscript {
  // Every "?OTR:..." string libotr injected, in order (never fragmented).
  std::vector<std::string> armored;
  // For each TLV chain libotr's receiver returned: the chain serialized by
  // libotr (otrl_tlv_serialize), and its (type, value) records.
  struct TlvChain {
    Bytes serialized;
    std::vector<std::pair<uint16_t, Bytes>> records;
  };
  std::vector<TlvChain> tlv_chains;
  // PUBKEY encodings (type 0x0000, then p q g y) of both users' keys, and
  // the fingerprints libotr computes for them (otrl_privkey_fingerprint_raw).
  std::vector<Bytes> pubkeys;
  std::vector<Bytes> fingerprints;
  bool encrypted = false;  // both sides reached MSGSTATE_ENCRYPTED
  int smp_successes = 0;   // OTRL_SMPEVENT_SUCCESS events seen
};

// Runs query, AKE, data messages both ways, an SMP with a question, an SMP
// without one, and a disconnect. `v3` false restricts both users to v2.
LibotrTranscript RunLibotrConversation(bool v3);

}  // namespace otr::testing

#endif  // OTR_TESTS_V3_LIBOTR_CAPTURE_H_
