// Writes fuzz seed files made by libotr 4.1.1 into fuzz/corpus/<fuzzer>/.
// Usage: libotr_seeds <path to fuzz/corpus>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/wire/armor.h"
#include "tests/wire/libotr_peer.h"
#include "tests/wire/spec_example.h"

namespace {

namespace fs = std::filesystem;
// OTR_ERROR_PREFIX of libotr's message.h, which cannot be included from C++
// in the order its headers need.
constexpr const char* kLibotrErrorPrefix = "?OTR Error: ";
using otr::testing::LibotrArmor;
using otr::testing::LibotrContext;
using otr::testing::LibotrDefaultQuery;

void Write(const fs::path& root, const std::string& fuzzer, const std::string& name,
           const std::string& data) {
  fs::create_directories(root / fuzzer);
  std::ofstream out(root / fuzzer / name, std::ios::binary);
  out << data;
}

otr::Bytes Header(uint8_t version, uint8_t type, size_t size) {
  otr::Bytes out = {0x00, version, type};
  for (size_t i = 0; out.size() < size; ++i) out.push_back(static_cast<uint8_t>(i * 37 + 11));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fuzz/corpus>\n", argv[0]);
    return 2;
  }
  otr::testing::InitLibotr();
  const fs::path root = argv[1];
  const std::string spec_message = otr::wire::testing::kSpecDataMessage;

  // Armour: otrl_base64_otr_encode of message-shaped payloads.
  struct Armored {
    const char* name;
    otr::Bytes bytes;
  };
  const std::vector<Armored> armored = {
      {"v3_dh_commit_shape", Header(3, 0x02, 57)},
      {"v3_dh_key_shape", Header(3, 0x0a, 207)},
      {"v2_reveal_signature_shape", Header(2, 0x11, 100)},
      {"v3_signature_shape", Header(3, 0x12, 98)},
      {"v1_key_exchange_shape", Header(1, 0x0a, 40)},
      {"v1_data_shape", Header(1, 0x03, 41)},
      {"v3_spec_data_message", *otr::wire::DecodeArmor(spec_message)},
  };
  for (const Armored& a : armored) {
    const std::string text = LibotrArmor(a.bytes);
    Write(root, "armor_fuzzer", std::string("libotr_") + a.name, text);
    Write(root, "classify_fuzzer", std::string("libotr_") + a.name, text);
  }

  // Query messages: otrl_proto_default_query_msg for each policy.
  const std::pair<const char*, OtrlPolicy> policies[] = {
      {"v1", OTRL_POLICY_ALLOW_V1},
      {"v2", OTRL_POLICY_ALLOW_V2},
      {"v3", OTRL_POLICY_ALLOW_V3},
      {"v23", OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3},
      {"v123", OTRL_POLICY_ALLOW_V1 | OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3},
      {"none", OTRL_POLICY_NEVER},
  };
  for (const auto& [name, policy] : policies) {
    const std::string query = LibotrDefaultQuery("alice@example.org", policy);
    Write(root, "query_fuzzer", std::string("libotr_default_query_") + name, query);
    Write(root, "classify_fuzzer", std::string("libotr_default_query_") + name, query);
  }

  // Whitespace tags from libotr's constants.
  const std::string base = OTRL_MESSAGE_TAG_BASE;
  const std::string v1 = OTRL_MESSAGE_TAG_V1, v2 = OTRL_MESSAGE_TAG_V2, v3 = OTRL_MESSAGE_TAG_V3;
  const std::pair<const char*, std::string> tagged[] = {
      {"libotr_tag_v23_appended", "Hello there" + base + v2 + v3},
      {"libotr_tag_v123_appended", "Hi" + base + v1 + v2 + v3},
      {"libotr_tag_v3_middle", "before" + base + v3 + "after"},
      {"libotr_tag_v2_only_tag", base + v2},
  };
  for (const auto& [name, text] : tagged) {
    Write(root, "whitespace_tag_fuzzer", name, text);
    Write(root, "classify_fuzzer", name, text);
  }

  // Error messages as libotr sends them: OTR_ERROR_PREFIX + its texts.
  const std::pair<const char*, const char*> errors[] = {
      {"libotr_error_not_private", "You sent encrypted data to bob, who wasn't expecting it."},
      {"libotr_error_unreadable", "You transmitted an unreadable encrypted message."},
      {"libotr_error_malformed", "You transmitted a malformed data message."},
  };
  for (const auto& [name, text] : errors) {
    const std::string message = std::string(kLibotrErrorPrefix) + text;
    Write(root, "error_message_fuzzer", name, message);
    Write(root, "classify_fuzzer", name, message);
  }

  // Fragments: otrl_proto_fragment_create, v2 and v3.
  for (unsigned int version : {2u, 3u}) {
    LibotrContext libotr(version);
    for (int mms : {60, 150}) {
      const std::vector<std::string> fragments = libotr.Fragment(spec_message, mms);
      std::string sequence(1, '\0');  // reassembler_fuzzer raw mode
      for (size_t i = 0; i < fragments.size(); ++i) {
        const std::string name = "libotr_v" + std::to_string(version) + "_mms" +
                                 std::to_string(mms) + "_" + std::to_string(i + 1) + "_of_" +
                                 std::to_string(fragments.size());
        if (i < 3 || i + 1 == fragments.size()) {
          Write(root, "fragment_fuzzer", name, fragments[i]);
          if (i == 0) Write(root, "classify_fuzzer", name, fragments[i]);
        }
        sequence += fragments[i];
        sequence += '\n';
      }
      Write(root, "reassembler_fuzzer",
            "libotr_v" + std::to_string(version) + "_mms" + std::to_string(mms) + "_sequence",
            sequence);
    }
  }
  // Issue 14: libotr fragments Query Messages too, and Debian's default
  // query text holds ',': pieces with ','.
  const std::string query =
      LibotrDefaultQuery("alice@example.org", OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3);
  for (unsigned int version : {2u, 3u}) {
    LibotrContext libotr(version);
    const std::vector<std::string> fragments = libotr.Fragment(query, 60);
    std::string sequence(1, '\0');  // reassembler_fuzzer raw mode
    const std::string prefix = "libotr_query_v" + std::to_string(version) + "_mms60";
    for (size_t i = 0; i < fragments.size(); ++i) {
      // The pieces holding ',' (the piece starts after the fixed-width header).
      const size_t piece = version == 2 ? 17 : 35;
      if (fragments[i].find(',', piece) + 1 < fragments[i].size()) {
        Write(root, "fragment_fuzzer", prefix + "_" + std::to_string(i + 1), fragments[i]);
      }
      sequence += fragments[i];
      sequence += '\n';
    }
    Write(root, "reassembler_fuzzer", prefix + "_sequence", sequence);
  }
  return 0;
}
