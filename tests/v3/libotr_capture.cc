#include "tests/v3/libotr_capture.h"

// libotr's headers depend on each other's order.
// clang-format off
extern "C" {
#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/userstate.h>
#include <libotr/privkey.h>
#include <libotr/tlv.h>
#include <libotr/message.h>
#include <libotr/instag.h>
}
// clang-format on

#include <cstdio>
#include <cstring>
#include <deque>
#include <string>

namespace otr::testing {
namespace {

constexpr char kProtocol[] = "prpl-test";

struct Wire {
  std::string from, to, text;
};

struct Peer {
  std::string name;
  OtrlUserState us = nullptr;
  OtrlPolicy policy = OTRL_POLICY_ALWAYS;
  std::deque<Wire>* network = nullptr;
  LibotrTranscript* transcript = nullptr;
  ConnContext* smp_question_for = nullptr;  // set when asked for an SMP answer
};

OtrlPolicy PolicyCb(void* opdata, ConnContext*) { return static_cast<Peer*>(opdata)->policy; }

int IsLoggedInCb(void*, const char*, const char*, const char*) { return 1; }

void InjectCb(void* opdata, const char* accountname, const char*, const char* recipient,
              const char* message) {
  Peer* peer = static_cast<Peer*>(opdata);
  if (std::strncmp(message, "?OTR:", 5) == 0) peer->transcript->armored.emplace_back(message);
  peer->network->push_back(Wire{accountname, recipient, message});
}

void SmpEventCb(void* opdata, OtrlSMPEvent event, ConnContext* context, unsigned short, char*) {
  Peer* peer = static_cast<Peer*>(opdata);
  if (event == OTRL_SMPEVENT_ASK_FOR_ANSWER || event == OTRL_SMPEVENT_ASK_FOR_SECRET) {
    peer->smp_question_for = context;
  } else if (event == OTRL_SMPEVENT_SUCCESS) {
    ++peer->transcript->smp_successes;
  }
}

OtrlMessageAppOps MakeOps() {
  OtrlMessageAppOps ops;
  std::memset(&ops, 0, sizeof ops);
  ops.policy = PolicyCb;
  ops.is_logged_in = IsLoggedInCb;
  ops.inject_message = InjectCb;
  ops.handle_smp_event = SmpEventCb;
  return ops;
}

const unsigned char kSecret[] = "correct horse";

void Pump(std::deque<Wire>& network, Peer& a, Peer& b, const OtrlMessageAppOps& ops) {
  while (!network.empty()) {
    Wire w = network.front();
    network.pop_front();
    Peer& to = w.to == a.name ? a : b;
    char* newmsg = nullptr;
    OtrlTLV* tlvs = nullptr;
    otrl_message_receiving(to.us, &ops, &to, to.name.c_str(), kProtocol, w.from.c_str(),
                           w.text.c_str(), &newmsg, &tlvs, nullptr, nullptr, nullptr);
    if (tlvs != nullptr) {
      LibotrTranscript::TlvChain chain;
      chain.serialized.resize(otrl_tlv_seriallen(tlvs));
      otrl_tlv_serialize(chain.serialized.data(), tlvs);
      for (OtrlTLV* t = tlvs; t != nullptr; t = t->next) {
        chain.records.emplace_back(t->type, Bytes(t->data, t->data + t->len));
      }
      to.transcript->tlv_chains.push_back(std::move(chain));
      otrl_tlv_free(tlvs);
    }
    otrl_message_free(newmsg);
    if (to.smp_question_for != nullptr) {
      ConnContext* context = to.smp_question_for;
      to.smp_question_for = nullptr;
      otrl_message_respond_smp(to.us, &ops, &to, context, kSecret, sizeof kSecret - 1);
    }
  }
}

void Send(Peer& from, const std::string& to, const char* text, const OtrlMessageAppOps& ops) {
  char* out = nullptr;
  otrl_message_sending(from.us, &ops, &from, from.name.c_str(), kProtocol, to.c_str(),
                       OTRL_INSTAG_BEST, text, nullptr, &out, OTRL_FRAGMENT_SEND_ALL, nullptr,
                       nullptr, nullptr);
  otrl_message_free(out);
}

void SetUpUser(Peer& peer, LibotrTranscript& transcript) {
  peer.us = otrl_userstate_create();
  FILE* keys = std::tmpfile();
  otrl_privkey_generate_FILEp(peer.us, keys, peer.name.c_str(), kProtocol);
  std::fclose(keys);
  FILE* tags = std::tmpfile();
  otrl_instag_generate_FILEp(peer.us, tags, peer.name.c_str(), kProtocol);
  std::fclose(tags);
  OtrlPrivKey* key = otrl_privkey_find(peer.us, peer.name.c_str(), kProtocol);
  Bytes pubkey = {0x00, 0x00};
  pubkey.insert(pubkey.end(), key->pubkey_data, key->pubkey_data + key->pubkey_datalen);
  transcript.pubkeys.push_back(std::move(pubkey));
  unsigned char fp[20];
  otrl_privkey_fingerprint_raw(peer.us, fp, peer.name.c_str(), kProtocol);
  transcript.fingerprints.emplace_back(fp, fp + 20);
}

ConnContext* FindContext(Peer& self, const std::string& buddy) {
  return otrl_context_find(self.us, buddy.c_str(), self.name.c_str(), kProtocol, OTRL_INSTAG_BEST,
                           0, nullptr, nullptr, nullptr);
}

}  // namespace

LibotrTranscript RunLibotrConversation(bool v3) {
  OTRL_INIT;
  LibotrTranscript transcript;
  std::deque<Wire> network;
  OtrlPolicy policy =
      v3 ? OTRL_POLICY_ALWAYS : (OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_REQUIRE_ENCRYPTION);
  Peer alice{"alice@example.org", nullptr, policy, &network, &transcript, nullptr};
  Peer bob{"bob@example.org", nullptr, policy, &network, &transcript, nullptr};
  SetUpUser(alice, transcript);
  SetUpUser(bob, transcript);
  OtrlMessageAppOps ops = MakeOps();

  // Alice asks for OTR; Bob starts the AKE.
  network.push_back(Wire{alice.name, bob.name, v3 ? "?OTRv23?" : "?OTRv2?"});
  Pump(network, alice, bob, ops);
  ConnContext* alice_ctx = FindContext(alice, bob.name);
  ConnContext* bob_ctx = FindContext(bob, alice.name);
  transcript.encrypted = alice_ctx && bob_ctx && alice_ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED &&
                         bob_ctx->msgstate == OTRL_MSGSTATE_ENCRYPTED;
  if (!transcript.encrypted) return transcript;

  // Data messages both ways (each reply rotates keys, revealing old MAC keys).
  const char* lines[] = {"hello bob", "hi alice",   "how are you?", "fine, and <b>you</b>?",
                         "",          "bye for now"};
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; ++i) {
    Peer& from = i % 2 == 0 ? alice : bob;
    Send(from, i % 2 == 0 ? bob.name : alice.name, lines[i], ops);
    Pump(network, alice, bob, ops);
  }

  // SMP with a question, then without.
  otrl_message_initiate_smp_q(alice.us, &ops, &alice, FindContext(alice, bob.name),
                              "favourite colour?", kSecret, sizeof kSecret - 1);
  Pump(network, alice, bob, ops);
  otrl_message_initiate_smp(bob.us, &ops, &bob, FindContext(bob, alice.name), kSecret,
                            sizeof kSecret - 1);
  Pump(network, alice, bob, ops);

  Send(bob, alice.name, "one more", ops);
  Pump(network, alice, bob, ops);
  otrl_message_disconnect(alice.us, &ops, &alice, alice.name.c_str(), kProtocol, bob.name.c_str(),
                          FindContext(alice, bob.name)->their_instance);
  Pump(network, alice, bob, ops);

  otrl_userstate_free(alice.us);
  otrl_userstate_free(bob.us);
  return transcript;
}

}  // namespace otr::testing
