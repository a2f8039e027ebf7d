// libotr 4.1.1 as a benchmark Implementation, through its public C API only:
// two users (OtrlUserState "alice" and "bob", one DSA key and instance tag
// each, generated once per process) talk in memory. Each Conversation is a
// fresh pair of contexts (buddy names numbered), forgotten when it is
// destroyed; otrl_message_sending/receiving with inject_message captured.
#ifndef OTR_BENCH_LIBOTR_ENDPOINT_H_
#define OTR_BENCH_LIBOTR_ENDPOINT_H_

#include <memory>

#include "bench/endpoint.h"

namespace otr::bench {

// OTRL_INIT. Must run before anything in the process uses libgcrypt (our
// gcrypt backend included): otrl_init installs libotr's allocation handlers
// in libgcrypt (they keep a size header before each block), so a block
// libgcrypt allocated earlier and frees later is freed at the wrong address
// (seen here: our gcrypt backend's DSA key generation, then OTRL_INIT, then
// any gcry_pk_genkey aborts in free()).
void InitLibotr();

std::unique_ptr<Implementation> NewLibotrImplementation();

}  // namespace otr::bench

#endif  // OTR_BENCH_LIBOTR_ENDPOINT_H_
