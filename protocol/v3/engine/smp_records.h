// The SMP messages of the version-neutral executor (protocol/smp) as v2/v3
// TLV records (otr v3 spec, "SMP Message TLVs (types 2-7)"): type 7 carries
// the question, NUL-terminated, before the SMP message 1 body.
#ifndef OTR_PROTOCOL_V3_ENGINE_SMP_RECORDS_H_
#define OTR_PROTOCOL_V3_ENGINE_SMP_RECORDS_H_

#include <optional>

#include "base/result.h"
#include "protocol/smp/executor.h"
#include "protocol/smp/records.h"
#include "protocol/smp/smp_table.h"
#include "protocol/v3/tlv.h"

namespace otr::v3 {

// kInvalidEncoding for a question holding a NUL.
Result<TlvRecord> SmpRecord(const otr::smp::Message& m);
// The SMP message a record carries, if it is one (types 2-7). A type 7
// without a NUL keeps its whole value as the body, which then fails its
// proofs like any malformed body.
std::optional<otr::smp::Message> SmpMessageOf(const TlvRecord& record);
// The SMP-table event for receiving a message of `kind` (version-neutral).
using otr::smp::SmpEventOf;

}  // namespace otr::v3

#endif  // OTR_PROTOCOL_V3_ENGINE_SMP_RECORDS_H_
