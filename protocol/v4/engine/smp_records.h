// SMP messages as OTRv4 TLV records (otrv4.md, "TLV Record Types": types 2
// to 6; "SMP Message 1": the question is a field of message 1's body, not a
// separate TLV as in v3's type 7).
#ifndef OTR_PROTOCOL_V4_ENGINE_SMP_RECORDS_H_
#define OTR_PROTOCOL_V4_ENGINE_SMP_RECORDS_H_

#include <optional>

#include "base/result.h"
#include "protocol/smp/executor.h"
#include "protocol/smp/records.h"
#include "protocol/smp/smp_table.h"
#include "protocol/v4/messages/tlv.h"

namespace otr::v4 {

// The record for an SMP message the executor made: message 1 gets its
// question written into its body (Ed448Group::WithQuestion).
Result<TlvRecord> SmpRecord(const otr::smp::Message& m);

// The SMP message a record carries, if it is one (types 2-6). Message 1
// keeps its whole body (the proofs cover it); its question is read out.
std::optional<otr::smp::Message> SmpMessageOf(const TlvRecord& record);

// The SMP-table event for receiving a message of `kind` (version-neutral).
using otr::smp::SmpEventOf;

}  // namespace otr::v4

#endif  // OTR_PROTOCOL_V4_ENGINE_SMP_RECORDS_H_
