#include "bench/libotr_rekey.h"

#include "bench/libotr_endpoint.h"

// clang-format off
extern "C" {
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/dh.h>
}
// clang-format on

namespace otr::bench {

void LibotrRekey(benchmark::State& state, bool sender_side) {
  InitLibotr();
  DH_keypair ours, theirs;
  otrl_dh_keypair_init(&ours);
  otrl_dh_keypair_init(&theirs);
  if (otrl_dh_gen_keypair(DH1536_GROUP_ID, &ours) != 0 ||
      otrl_dh_gen_keypair(DH1536_GROUP_ID, &theirs) != 0) {
    state.SkipWithError("otrl_dh_gen_keypair failed");
    return;
  }
  for (auto _ : state) {
    DH_sesskeys sess;
    otrl_dh_session_blank(&sess);
    gcry_error_t err = 0;
    if (sender_side) {
      DH_keypair next;
      otrl_dh_keypair_init(&next);
      err = otrl_dh_gen_keypair(DH1536_GROUP_ID, &next);
      if (err == 0) err = otrl_dh_session(&sess, &next, theirs.pub);
      otrl_dh_keypair_free(&next);
    } else {
      err = otrl_dh_session(&sess, &ours, theirs.pub);
    }
    otrl_dh_session_free(&sess);
    if (err != 0) {
      state.SkipWithError("otrl_dh_session failed");
      break;
    }
  }
  otrl_dh_keypair_free(&ours);
  otrl_dh_keypair_free(&theirs);
}

}  // namespace otr::bench
