// The OTRv4 part of `otr parse` (cmd_parse.cc): prints every field of a v4
// encoded message (otrv4.md "Identity Message" .. "Data Message Format"),
// of a Client Profile or Prekey Profile, and of a decrypted Data Message
// plaintext (its TLVs, SMP Message 1..4 bodies included). Points, scalars and
// MACs in hex; text from the peer escaped for the terminal.
#ifndef OTR_TOOLS_CMD_PARSE_V4_H_
#define OTR_TOOLS_CMD_PARSE_V4_H_

#include "base/bytes.h"

namespace otr::tools {

// Each returns the exit status: 0 the input decodes, 1 it does not (the
// reason is printed).
int PrintV4Message(ByteView message);  // binary, from "Protocol version" on
int PrintV4ClientProfile(ByteView profile);
int PrintV4PrekeyProfile(ByteView profile);
int PrintV4Payload(ByteView plaintext);

}  // namespace otr::tools

#endif  // OTR_TOOLS_CMD_PARSE_V4_H_
