// libotr_ng_gen: drives libotr-ng (the deployed OTRv4 library, through its
// client API in this process) and writes its v4 artefacts to a directory, for
// libotr_ng_decode_test to decode with our code:
//
//   libotr_ng_gen OUT_DIR
//
// Two libotr-ng clients, "alice" and "bob", each with a long-term key, a
// forging key, an instance tag, a client profile and (bob) a prekey profile,
// run an interactive DAKE (Identity, Auth-R, Auth-I), exchange data messages,
// and then alice sends bob an offline message through bob's prekey ensemble
// (Non-Interactive-Auth). Bob also makes prekey messages for publication.
//
// OUT_DIR gets one file per artefact (`*.otr`: the transport string exactly as
// libotr-ng sent it, "?OTR:<base64>."; `*.bin`: a profile or prekey message as
// libotr-ng serialises it) and `values.txt`: `name hex` lines with the public
// values needed to check them (H, F, D, fingerprints, instance tags) and,
// for the deviation tests, secrets libotr-ng holds (private scalars in its own
// representation, the 57-byte seeds the keys were derived from). The keys are
// throwaway test keys.
extern "C" {
#include <gcrypt.h>
#include <goldilocks.h>
#include <goldilocks/point_448.h>

#include "client.h"
#include "dake.h"
#include "ed448.h"
#include "fingerprint.h"
#include "keys.h"
#include "messaging.h"
#include "otrng.h"
#include "prekey_ensemble.h"
#include "prekey_message.h"
#include "serialize.h"
}

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

// libotr-ng is not ours to fix: its leaks (the test fixtures it ships say
// "TODO: free me") must not fail this generator under --config=asan.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

namespace {

std::string g_out_dir;
std::string g_values;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "libotr_ng_gen: %s\n", what.c_str());
  std::exit(1);
}

void Check(bool ok, const std::string& what) {
  if (!ok) Die(what + " failed");
}

std::string Hex(const uint8_t* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

void WriteFile(const std::string& name, const std::string& contents) {
  std::ofstream file(g_out_dir + "/" + name, std::ios::binary);
  file << contents;
  Check(static_cast<bool>(file), "writing " + name);
}

void WriteBytes(const std::string& name, const uint8_t* data, size_t size) {
  WriteFile(name, std::string(reinterpret_cast<const char*>(data), size));
}

void Value(const std::string& name, const std::string& hex) { g_values += name + " " + hex + "\n"; }
void Value(const std::string& name, const uint8_t* data, size_t size) {
  Value(name, Hex(data, size));
}
void ValueU32(const std::string& name, uint32_t v) {
  const uint8_t be[4] = {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                         static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
  Value(name, be, 4);
}

std::string PointHex(const ec_point point) {
  uint8_t enc[ED448_POINT_BYTES];
  Check(otrng_ec_point_encode(enc, sizeof enc, point) == OTRNG_SUCCESS, "otrng_ec_point_encode");
  return Hex(enc, sizeof enc);
}

std::string ScalarHex(const ec_scalar scalar) {
  uint8_t enc[ED448_SCALAR_BYTES];
  otrng_ec_scalar_encode(enc, scalar);
  return Hex(enc, sizeof enc);
}

// --- callbacks: what libotr-ng's own functional tests give it ------------

void Nothing(otrng_client_s*) {}

void CreateClientProfile(otrng_client_s* client) {
  otrng_client_profile_s* profile = otrng_client_build_default_client_profile(client);
  if (profile == nullptr) return;
  otrng_client_add_client_profile(client, profile);
  otrng_client_profile_free(profile);
}

void CreatePrekeyProfile(otrng_client_s* client) {
  otrng_prekey_profile_s* profile = otrng_client_build_default_prekey_profile(client);
  if (profile == nullptr) return;
  otrng_client_add_prekey_profile(client, profile);
  otrng_prekey_profile_free(profile);
}

void DisplayError(const otrng_error_event, string_p*, const otrng_s*) {}

otrng_shared_session_state_s SharedSessionState(const otrng_s*) {
  otrng_shared_session_state_s state;
  state.identifier1 = strdup("alice@example.org");
  state.identifier2 = strdup("bob@example.org");
  state.password = nullptr;
  return state;
}

// Version 4 only: a v3+v4 profile would need an OTRv3 DSA key (otrv4.md,
// "Client Profile Data Type"), which this generator does not make.
otrng_policy_s Policy(otrng_client_s*) {
  otrng_policy_s policy;
  policy.allows = OTRNG_ALLOW_V4;
  policy.type = OTRNG_POLICY_ALWAYS;
  return policy;
}

otrng_bool NoHeartbeat(long) { return otrng_false; }

otrng_client_callbacks_s MakeCallbacks() {
  otrng_client_callbacks_s cb{};
  cb.create_instag = Nothing;
  cb.create_privkey_v3 = Nothing;
  cb.create_privkey_v4 = Nothing;
  cb.create_forging_key = Nothing;
  cb.create_client_profile = CreateClientProfile;
  cb.store_expired_client_profile = Nothing;
  cb.load_expired_client_profile = Nothing;
  cb.store_expired_prekey_profile = Nothing;
  cb.load_expired_prekey_profile = Nothing;
  cb.create_prekey_profile = CreatePrekeyProfile;
  cb.display_error_message = DisplayError;
  cb.get_shared_session_state = SharedSessionState;
  cb.load_privkey_v4 = Nothing;
  cb.load_client_profile = Nothing;
  cb.load_prekey_profile = Nothing;
  cb.store_prekey_messages = Nothing;
  cb.define_policy = Policy;
  cb.store_fingerprints_v4 = Nothing;
  cb.load_fingerprints_v4 = Nothing;
  cb.store_fingerprints_v3 = Nothing;
  cb.load_fingerprints_v3 = Nothing;
  return cb;
}

otrng_client_callbacks_s g_callbacks = MakeCallbacks();

// --- one libotr-ng user --------------------------------------------------

struct User {
  std::string name;
  otrng_client_s* client = nullptr;
  uint8_t sym_h[ED448_PRIVATE_BYTES] = {};
  uint8_t forging_sym[ED448_PRIVATE_BYTES] = {};
};

void SetUp(User& user, const char* account, uint32_t instance_tag) {
  otrng_client_id_s id;
  id.protocol = "xmpp";
  id.account = account;
  user.client = otrng_client_new(id);
  user.client->global_state = otrng_global_state_new(&g_callbacks, otrng_false);
  user.client->global_state->clients =
      otrng_list_add(user.client, user.client->global_state->clients);

  gcry_randomize(user.sym_h, sizeof user.sym_h, GCRY_STRONG_RANDOM);
  gcry_randomize(user.forging_sym, sizeof user.forging_sym, GCRY_STRONG_RANDOM);
  Check(otrng_client_add_private_key_v4(user.client, user.sym_h) == OTRNG_SUCCESS,
        "add_private_key_v4");
  otrng_keypair_s* forging = otrng_keypair_new();
  Check(otrng_keypair_generate(forging, user.forging_sym) == OTRNG_SUCCESS, "forging keypair");
  Check(otrng_client_add_forging_key(user.client, forging->pub) == OTRNG_SUCCESS,
        "add_forging_key");
  otrng_keypair_free(forging);
  Check(otrng_client_add_instance_tag(user.client, instance_tag) == OTRNG_SUCCESS,
        "add_instance_tag");
  user.client->should_heartbeat = NoHeartbeat;
  CreateClientProfile(user.client);
  CreatePrekeyProfile(user.client);
  Check(user.client->client_profile != nullptr && user.client->prekey_profile != nullptr,
        "profiles");
}

void RecordUser(const User& user) {
  const std::string& n = user.name;
  otrng_client_s* c = user.client;
  ValueU32(n + ".instance_tag", otrng_client_get_instance_tag(c));
  Value(n + ".sym_h", user.sym_h, sizeof user.sym_h);
  Value(n + ".H", PointHex(c->keypair->pub));
  Value(n + ".sk_h_as_held", ScalarHex(c->keypair->priv));
  Value(n + ".forging_sym", user.forging_sym, sizeof user.forging_sym);
  Value(n + ".F", PointHex(*c->forging_key));
  otrng_fingerprint fp;
  Check(otrng_client_get_our_fingerprint(fp, c) == OTRNG_SUCCESS, "fingerprint");
  Value(n + ".fingerprint", fp, sizeof fp);

  uint8_t* bytes = nullptr;
  size_t size = 0;
  Check(otrng_client_profile_serialize(&bytes, &size, c->client_profile) == OTRNG_SUCCESS,
        "client_profile_serialize");
  WriteBytes(n + ".client_profile.bin", bytes, size);
  free(bytes);
  Check(otrng_prekey_profile_serialize(&bytes, &size, c->prekey_profile) == OTRNG_SUCCESS,
        "prekey_profile_serialize");
  WriteBytes(n + ".prekey_profile.bin", bytes, size);
  free(bytes);
  Value(n + ".sym_d", c->prekey_profile->keys->sym, ED448_PRIVATE_BYTES);
  Value(n + ".D", PointHex(c->prekey_profile->shared_prekey));
}

void RecordPrekeyMessage(const std::string& name, const prekey_message_s* message) {
  uint8_t* bytes = nullptr;
  size_t size = 0;
  Check(otrng_prekey_message_serialize_into(&bytes, &size, message) == OTRNG_SUCCESS,
        "prekey_message_serialize");
  WriteBytes(name + ".bin", bytes, size);
  free(bytes);
  Value(name + ".y_as_held", ScalarHex(message->y->priv));
  Value(name + ".Y", PointHex(message->Y));
}

// Delivers `message` to `to` and returns what `to` sends back (may be empty).
std::string Deliver(const std::string& message, otrng_s* to, std::string* displayed = nullptr) {
  otrng_response_s* response = otrng_response_new();
  Check(otrng_receive_message(response, message.c_str(), to) == OTRNG_SUCCESS,
        "otrng_receive_message");
  std::string reply = response->to_send ? response->to_send : "";
  if (displayed != nullptr) *displayed = response->to_display ? response->to_display : "";
  otrng_response_free(response);
  return reply;
}

std::string Send(const char* text, otrng_s* from) {
  char* to_send = nullptr;
  Check(otrng_send_message(&to_send, text, nullptr, 0, from) == OTRNG_SUCCESS,
        "otrng_send_message");
  std::string out = to_send;
  free(to_send);
  return out;
}

void Expect(const std::string& message, const char* prefix, const char* what) {
  if (message.rfind(prefix, 0) != 0)
    Die(std::string(what) + " is not " + prefix + "...: " + message);
}

// The interactive DAKE (otrv4.md, "Interactive DAKE Overview") and data
// messages in both directions.
void Interactive(User& alice, User& bob) {
  otrng_policy_s policy = Policy(nullptr);
  otrng_s* a = otrng_new(alice.client, policy);
  otrng_s* b = otrng_new(bob.client, policy);

  char* query = nullptr;
  Check(otrng_build_query_message(&query, "", a) == OTRNG_SUCCESS, "query");
  WriteFile("query.txt", query);
  std::string identity = Deliver(query, b);
  free(query);
  Expect(identity, "?OTR:AAQ1", "Identity message");
  WriteFile("identity.otr", identity);
  Value("identity.y_as_held", ScalarHex(b->keys->our_ecdh->priv));
  Value("identity.Y", PointHex(b->keys->our_ecdh->pub));

  std::string auth_r = Deliver(identity, a);
  Expect(auth_r, "?OTR:AAQ2", "Auth-R message");
  WriteFile("auth_r.otr", auth_r);
  Value("auth_r.x_first_as_held", ScalarHex(a->keys->our_ecdh_first->priv));
  Value("auth_r.X_first", PointHex(a->keys->our_ecdh_first->pub));

  std::string auth_i = Deliver(auth_r, b);
  Expect(auth_i, "?OTR:AAQ3", "Auth-I message");
  WriteFile("auth_i.otr", auth_i);

  std::string dake_data = Deliver(auth_i, a);
  Expect(dake_data, "?OTR:AAQD", "first Data Message");
  WriteFile("data_0.otr", dake_data);
  Check(Deliver(dake_data, b).empty(), "bob's silence after the first Data Message");
  Check(a->state == OTRNG_STATE_ENCRYPTED_MESSAGES && b->state == OTRNG_STATE_ENCRYPTED_MESSAGES,
        "both in ENCRYPTED_MESSAGES");

  // alice, alice, then bob (a new ratchet), then alice again.
  const struct {
    const char* text;
    bool from_alice;
  } kMessages[] = {{"hi bob", true}, {"second", true}, {"hello alice", false}, {"third", true}};
  int n = 1;
  for (const auto& m : kMessages) {
    otrng_s* from = m.from_alice ? a : b;
    otrng_s* to = m.from_alice ? b : a;
    std::string wire = Send(m.text, from);
    Expect(wire, "?OTR:AAQD", "Data Message");
    std::string shown;
    Check(Deliver(wire, to, &shown).empty(), "no reply to a Data Message");
    Check(shown == m.text, std::string("libotr-ng decrypts its own \"") + m.text + "\"");
    WriteFile("data_" + std::to_string(n) + ".otr", wire);
    WriteFile("data_" + std::to_string(n) + ".plaintext", m.text);
    ++n;
  }

  otrng_conn_free(a);
  otrng_conn_free(b);
}

// Bob's prekey ensemble and alice's Non-Interactive-Auth message to it
// (otrv4.md, "Non-Interactive DAKE Overview"), and bob's prekey messages for
// publication ("Publishing Prekey Messages").
void NonInteractive(User& alice, User& bob) {
  otrng_policy_s policy = Policy(nullptr);
  otrng_s* a = otrng_new(alice.client, policy);
  otrng_s* b = otrng_new(bob.client, policy);

  prekey_ensemble_s* ensemble = otrng_build_prekey_ensemble(b);
  Check(ensemble != nullptr, "otrng_build_prekey_ensemble");
  Check(otrng_prekey_ensemble_validate(ensemble) == OTRNG_SUCCESS,
        "ensemble validates in libotr-ng");
  RecordPrekeyMessage("ensemble.prekey_message", ensemble->message);

  char* to_bob = nullptr;
  Check(otrng_send_non_interactive_auth(&to_bob, ensemble, a) == OTRNG_SUCCESS,
        "non_interactive_auth");
  Expect(to_bob, "?OTR:AAQN", "Non-Interactive-Auth message");
  WriteFile("non_interactive_auth.otr", to_bob);
  Check(Deliver(to_bob, b).empty(), "bob accepts the Non-Interactive-Auth message");
  free(to_bob);
  otrng_prekey_ensemble_free(ensemble);

  prekey_message_s** published = otrng_client_build_prekey_messages(3, bob.client);
  Check(published != nullptr, "otrng_client_build_prekey_messages");
  for (int i = 0; i < 3; ++i)
    RecordPrekeyMessage("prekey_message_" + std::to_string(i), published[i]);
  free(published);  // the messages belong to bob's client

  otrng_conn_free(a);
  otrng_conn_free(b);
}

// The generator G libotr-ng uses in its ring signatures and SMP
// (goldilocks_448_point_base, auth.c and smp_protocol.c), encoded.
void RecordGenerator() {
  uint8_t enc[ED448_POINT_BYTES];
  goldilocks_448_point_mul_by_ratio_and_encode_like_eddsa(enc, goldilocks_448_point_base);
  Value("goldilocks.base", enc, sizeof enc);
}

// An ECDH exchange between key pairs derived from known seeds (ed448.c,
// otrng_ecdh_keypair_generate and otrng_ecdh_shared_secret).
void RecordEcdh() {
  uint8_t sym_a[ED448_PRIVATE_BYTES], sym_b[ED448_PRIVATE_BYTES];
  gcry_randomize(sym_a, sizeof sym_a, GCRY_STRONG_RANDOM);
  gcry_randomize(sym_b, sizeof sym_b, GCRY_STRONG_RANDOM);
  ecdh_keypair_s ka, kb;
  Check(otrng_ecdh_keypair_generate(&ka, sym_a) == OTRNG_SUCCESS, "ecdh keypair a");
  Check(otrng_ecdh_keypair_generate(&kb, sym_b) == OTRNG_SUCCESS, "ecdh keypair b");
  uint8_t secret[ED448_POINT_BYTES];
  Check(otrng_ecdh_shared_secret(secret, sizeof secret, ka.priv, kb.pub) == OTRNG_SUCCESS, "ecdh");
  Value("ecdh.r_a", sym_a, sizeof sym_a);
  Value("ecdh.A", PointHex(ka.pub));
  Value("ecdh.a_as_held", ScalarHex(ka.priv));
  Value("ecdh.r_b", sym_b, sizeof sym_b);
  Value("ecdh.B", PointHex(kb.pub));
  Value("ecdh.K_ecdh", secret, sizeof secret);
  otrng_ecdh_keypair_destroy(&ka);
  otrng_ecdh_keypair_destroy(&kb);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: libotr_ng_gen OUT_DIR\n");
    return 2;
  }
  g_out_dir = argv[1];
  Check(otrng_init(otrng_false) == OTRNG_SUCCESS, "otrng_init");

  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  User alice, bob;
  alice.name = "alice";
  bob.name = "bob";
  SetUp(alice, "alice@example.org", 0x1000a11c);
  SetUp(bob, "bob@example.org", 0x10000b0b);
  RecordUser(alice);
  RecordUser(bob);
  RecordGenerator();
  RecordEcdh();
  Interactive(alice, bob);
  NonInteractive(alice, bob);
  Value("generated_at", std::to_string(now));  // decimal seconds, not hex

  WriteFile("values.txt", g_values);
  otrng_global_state_free(alice.client->global_state);
  otrng_global_state_free(bob.client->global_state);
  otrng_dh_free();
  return 0;
}
