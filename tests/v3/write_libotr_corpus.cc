// Writes the seed corpora of the v3 message, TLV, SMP and PUBKEY fuzzers from
// a libotr 4.1.1 v3 and v2 conversation:
//   bazel run //tests/v3:write_libotr_corpus -- $PWD/fuzz/corpus
// Seeds named libotr_* are libotr's bytes; synthetic_* are built by our
// encoder from libotr's values (v1 has no living implementation; the AKE's
// X structure only exists encrypted on the wire).
#include <cstdio>
#include <string>

#include "protocol/v3/data_types.h"
#include "protocol/v3/messages.h"
#include "protocol/wire/armor.h"
#include "tests/v3/libotr_capture.h"

namespace {

void Write(const std::string& path, const otr::Bytes& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::perror(path.c_str());
    return;
  }
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

std::string Name(const std::string& dir, const std::string& stem, size_t i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02zu", i);
  return dir + "/" + stem + buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fuzz/corpus dir>\n", argv[0]);
    return 2;
  }
  const std::string root = argv[1];
  for (bool v3 : {true, false}) {
    const std::string tag = v3 ? "v3" : "v2";
    otr::testing::LibotrTranscript t = otr::testing::RunLibotrConversation(v3);
    if (!t.encrypted) return 1;
    size_t i = 0;
    otr::Bytes first_data;
    for (const std::string& armored : t.armored) {
      otr::Bytes bytes = otr::wire::DecodeArmor(armored).value();
      Write(Name(root + "/v3_message_fuzzer", "libotr_" + tag + "_", i++), bytes);
    }
    i = 0;
    for (const auto& chain : t.tlv_chains) {
      otr::Bytes payload = otr::ToBytes("text");
      payload.push_back(0);
      payload.insert(payload.end(), chain.serialized.begin(), chain.serialized.end());
      Write(Name(root + "/tlv_fuzzer", "libotr_" + tag + "_", i), payload);
      for (size_t r = 0; r < chain.records.size(); ++r) {
        uint16_t type = chain.records[r].first;
        if (type < 2 || type == 6 || type > 7) continue;
        // smp_tlv_fuzzer: selector byte (type 2..5 -> 0..3, 7 -> 4), then the value.
        otr::Bytes seed = {static_cast<uint8_t>(type == 7 ? 4 : type - 2)};
        seed.insert(seed.end(), chain.records[r].second.begin(), chain.records[r].second.end());
        Write(Name(root + "/smp_tlv_fuzzer", "libotr_" + tag + "_type" + std::to_string(type) + "_",
                   i),
              seed);
      }
      ++i;
    }
    if (!v3) continue;
    i = 0;
    for (const otr::Bytes& pubkey : t.pubkeys) {
      Write(Name(root + "/pubkey_fuzzer", "libotr_pubkey_", i), pubkey);
      otr::v3::SignedKeyId x;
      x.pub = otr::v3::DecodePubkey(pubkey).value();
      x.keyid = static_cast<uint32_t>(i + 1);
      for (size_t k = 0; k < x.sig.size(); ++k) x.sig[k] = static_cast<uint8_t>(k * 7 + i);
      Write(Name(root + "/pubkey_fuzzer", "synthetic_x_", i), otr::v3::EncodeSignedKeyId(x));
      ++i;
    }
    // Version 1 messages from libotr's values.
    otr::v3::V1KeyExchange kex;
    kex.reply = 1;
    kex.pub = otr::v3::DecodePubkey(t.pubkeys[0]).value();
    kex.sender_keyid = 1;
    const auto& dh_key = std::get<otr::v3::DhKey>(
        otr::v3::DecodeMessage(otr::wire::DecodeArmor(t.armored[1]).value()).value());
    kex.dh_y = dh_key.gy;
    kex.signature.assign(2 * kex.pub.q.size(), 0x5a);
    Write(root + "/v3_message_fuzzer/synthetic_v1_key_exchange",
          otr::v3::EncodeMessage(otr::v3::V1Message{kex}));
    const auto& data = std::get<otr::v3::DataMessage>(
        otr::v3::DecodeMessage(otr::wire::DecodeArmor(t.armored[5]).value()).value());
    otr::v3::V1Data v1data;
    v1data.sender_keyid = data.sender_keyid;
    v1data.recipient_keyid = data.recipient_keyid;
    v1data.next_dh = data.next_dh;
    v1data.ctr = data.ctr;
    v1data.encrypted_message = data.encrypted_message;
    v1data.mac = data.mac;
    v1data.old_mac_keys = data.old_mac_keys;
    Write(root + "/v3_message_fuzzer/synthetic_v1_data",
          otr::v3::EncodeMessage(otr::v3::V1Message{v1data}));
  }
  return 0;
}
