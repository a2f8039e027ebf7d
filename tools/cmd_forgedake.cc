// `otr forgedake [--as alice|bob SYM-HEX] [--now S] [--phi TEXT]... < transcript`:
// otrv4.md "Forging Transcripts", "Forge DAKE and Session Keys" and
// "Impersonate Initiator or Responder". Reads the Client Profiles of a
// recorded interactive DAKE (Bob's from the Identity message, Alice's from
// Auth-R) and makes a new DAKE between the same two profiles with
// protocol/v4/dake/forge.h (the honest DAKE's functions): with no key, both
// ring signatures use the forger's own ephemeral secrets; with --as, one
// uses that party's long-term key (sym_h as in otr.v4_keys, 57 bytes),
// as that party would sign. Prints the three messages as transcript lines
// ("bob: ?OTR:...") and the session keys both sides would derive (the SSID
// and K). `otr verifydake` checks the result as a third party would.
//
// `otr forgedake --offline [--as alice SYM-HEX]` does the same for the
// non-interactive DAKE of an offline transcript (`otr transcript --v4
// --offline`): from Bob's Prekey Ensemble (the server's answer) and Alice's
// Client Profile (her Non-Interactive-Auth) it makes a new
// Non-Interactive-Auth with ForgeNonInteractiveDake. With no key it is a
// "False Prekey Ensemble": Bob's profiles with a Prekey Message the forger
// makes, whose y signs the ring {F_b, H_a, Y}; with --as alice, Alice's
// long-term key signs it over Bob's real ensemble. Bob's long-term key is
// not in that ring (--as bob is refused, saying so).
#include <algorithm>
#include <cstdio>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/prekey/common/transport.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/dake/forge.h"
#include "tools/args.h"
#include "tools/cmd_dake_options.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{
    "forgedake",
    "usage: otr forgedake [--as alice|bob <sym-h-hex>] [--now SECONDS] [--phi TEXT]... "
    "< transcript\n"
    "forges an OTRv4 interactive DAKE between the two Client Profiles of the DAKE on stdin\n"
    "(bob: the Identity message's sender, alice: Auth-R's); --as signs with that party's\n"
    "long-term key as they would (default: no key at all)\n"
    "       otr forgedake --offline [--as alice <sym-h-hex>] [--now SECONDS] [--phi TEXT]... "
    "< transcript\n"
    "forges an OTRv4 Non-Interactive-Auth to Bob's Prekey Ensemble (the \"server:\" line) from\n"
    "Alice's Client Profile (her Non-Interactive-Auth's); with no key over a Prekey Message\n"
    "of the forger's own making, with --as alice signed with her long-term key\n"};

// The long-term key pair of `sym`, checked to be `who`'s (the H of `owner`'s
// Client Profile): 0, or Failed's exit status.
int OwnersKey(const crypto::Backend& backend, const Bytes& sym, const v4::ClientProfile& owner,
              const std::string& who, std::optional<v4::Ed448KeyPair>& key) {
  auto pair = v4::DeriveEd448KeyPair(backend, crypto::SecretBytes(sym));
  if (!pair.ok()) return Failed(kUsage, "<sym-h-hex> is not a long-term key");
  if (backend.Ed448Encode(pair->pub) != owner.public_key) {
    return Failed(kUsage, "<sym-h-hex> is not " + who +
                              "'s long-term key (its H differs from the Client Profile's)");
  }
  key.emplace(std::move(pair).value());
  return 0;
}

// The forged DAKE's SSID and shared secret K, the last lines of the output.
void PrintSsidAndSecret(ByteView ssid, const crypto::SecretBytes& shared_secret) {
  std::printf("# ssid %s\n", Hex(ssid).c_str());
  std::printf("# K    ");  // a secret: byte by byte, never through a std::string
  for (uint8_t b : shared_secret.view()) std::printf("%02x", b);
  std::printf("\n");
}

// The non-interactive DAKE (see the head of the file).
int RunOffline(const DakeOptions& options, const std::vector<std::string>& rest) {
  Outcome<Bytes> sym = Bytes();
  v4::dake::OfflineForgerKey forger = v4::dake::OfflineForgerKey::kNone;
  if (!rest.empty()) {
    if (rest.size() != 3 || rest[0] != "--as" || (rest[1] != "alice" && rest[1] != "bob")) {
      return UsageError(kUsage, "with --offline the only argument is --as alice <sym-h-hex>");
    }
    if (rest[1] == "bob") {
      return Failed(kUsage,
                    "Bob's long-term key is not in the Non-Interactive-Auth's ring {F_b, H_a, "
                    "Y}: forge without a key (a Prekey Message of your own)");
    }
    forger = v4::dake::OfflineForgerKey::kAliceLongTerm;
    sym = HexArgument("<sym-h-hex>", rest[2], crypto::kEd448ScalarSize);
    if (!sym.ok()) return UsageError(kUsage, sym.error());
  }
  auto dake = WholeOfflineDake(ReadAllStdin());
  if (!dake.ok()) return Failed(kUsage, dake.error());
  const crypto::Backend& backend = crypto::DefaultBackend();
  const v4::ClientProfile& alice = dake->auth.client_profile;
  std::optional<v4::Ed448KeyPair> key;
  if (forger == v4::dake::OfflineForgerKey::kAliceLongTerm) {
    if (int rc = OwnersKey(backend, *sym, alice, "alice", key); rc != 0) return rc;
  }
  v4::dake::OfflineForgeRequest request;
  request.bob_ensemble = &dake->ensemble;
  request.alice_client_profile = &alice;
  request.alice_instance_tag = dake->auth.header.sender_instance_tag;
  request.forger_key = forger;
  request.secret = key ? &key->secret : nullptr;
  request.phi_prime = options.phi_prime;
  request.now = options.now;
  crypto::OsRandom random;
  auto forged = v4::dake::ForgeNonInteractiveDake(backend, request, random);
  if (!forged.ok()) {
    return Failed(kUsage, "cannot forge a Non-Interactive-Auth to this ensemble: " +
                              std::string(forged.error().context));
  }
  // The server's answer as it would carry the (possibly false) ensemble.
  prekey::PrekeyEnsembleRetrieval answer = dake->retrieval;
  answer.ensembles = {prekey::PrekeyEnsemble{forged->ensemble.client_profile,
                                             forged->ensemble.prekey_profile,
                                             forged->ensemble.prekey_message}};
  std::printf("server: %s\n", prekey::EncodeForTransport(answer).c_str());
  std::printf("alice: %s\n", EncodeArmoredV4Message(forged->auth).c_str());
  PrintSsidAndSecret(forged->ssid, forged->shared_secret);
  return 0;
}

int Run(const std::vector<std::string>& args) {
  if (WantsHelp(args)) return PrintHelp(kUsage);
  auto options = ParseDakeOptions(args);
  if (!options.ok()) return UsageError(kUsage, options.error());
  std::vector<std::string> rest = options->rest;
  if (auto it = std::find(rest.begin(), rest.end(), "--offline"); it != rest.end()) {
    rest.erase(it);
    return RunOffline(*options, rest);
  }
  v4::dake::ForgerKey forger = v4::dake::ForgerKey::kNone;
  Outcome<Bytes> sym = Bytes();
  if (!rest.empty()) {
    if (rest.size() != 3 || rest[0] != "--as" || (rest[1] != "alice" && rest[1] != "bob")) {
      return UsageError(kUsage, "the only argument is --as alice|bob <sym-h-hex>");
    }
    forger = rest[1] == "alice" ? v4::dake::ForgerKey::kAliceLongTerm
                                : v4::dake::ForgerKey::kBobLongTerm;
    sym = HexArgument("<sym-h-hex>", rest[2], crypto::kEd448ScalarSize);
    if (!sym.ok()) return UsageError(kUsage, sym.error());
  }
  auto dake = WholeDake(ReadAllStdin(), false);
  if (!dake.ok()) return Failed(kUsage, dake.error());
  const crypto::Backend& backend = crypto::DefaultBackend();
  const v4::ClientProfile& bob = dake->identity->client_profile;
  const v4::ClientProfile& alice = dake->auth_r->client_profile;
  std::optional<v4::Ed448KeyPair> key;
  if (forger != v4::dake::ForgerKey::kNone) {
    const v4::ClientProfile& owner = forger == v4::dake::ForgerKey::kAliceLongTerm ? alice : bob;
    if (int rc = OwnersKey(backend, *sym, owner, rest[1], key); rc != 0) return rc;
  }
  v4::dake::ForgeRequest request;
  request.bob_client_profile = &bob;
  request.alice_client_profile = &alice;
  request.bob_instance_tag = dake->identity->header.sender_instance_tag;
  request.alice_instance_tag = dake->auth_r->header.sender_instance_tag;
  request.forger_key = forger;
  request.secret = key ? &key->secret : nullptr;
  request.phi_prime = options->phi_prime;
  request.now = options->now;
  crypto::OsRandom random;
  auto forged = v4::dake::ForgeInteractiveDake(backend, request, random);
  if (!forged.ok()) {
    return Failed(kUsage, "cannot forge a DAKE between these profiles: " +
                              std::string(forged.error().context));
  }
  std::printf("bob: %s\n", EncodeArmoredV4Message(forged->identity).c_str());
  std::printf("alice: %s\n", EncodeArmoredV4Message(forged->auth_r).c_str());
  std::printf("bob: %s\n", EncodeArmoredV4Message(forged->auth_i).c_str());
  PrintSsidAndSecret(forged->ssid, forged->shared_secret);
  return 0;
}

}  // namespace
OTR_REGISTER_COMMAND(forgedake,
                     {"forgedake", "forge an OTRv4 DAKE between two Client Profiles", &Run});
}  // namespace otr::tools
