// The prekey server core (protocol/prekey/server) and the prekey client
// (protocol/prekey/client) over a database backend: Alice publishes through
// the real DAKE with the server, the server is restarted on the same
// database (a new Server and a new connection), and Bob retrieves each of
// her ensembles exactly once, validated by his client, then none.
#ifndef OTR_TESTS_PREKEY_SERVER_SERVER_ROUND_TRIP_H_
#define OTR_TESTS_PREKEY_SERVER_SERVER_ROUND_TRIP_H_

#include "crypto/backend.h"
#include "tests/prekey_server/process_harness.h"

namespace otr::prekey_server::testing {

// Checks with gtest assertions; `open` connects to one shared, empty store.
void CheckServerRoundTrip(const crypto::Backend& backend, const Opener& open);

}  // namespace otr::prekey_server::testing

#endif  // OTR_TESTS_PREKEY_SERVER_SERVER_ROUND_TRIP_H_
