// Wycheproof's Ed448 vectors (tests/vectors/wycheproof/ed448_test.json)
// through the point code: every public key and every signature's R as a
// points.json-style "point_decode" vector, computed with Backend::Ed448Decode.
#include <set>
#include <string>

#include "tests/vectors/otrv4/compute_internal.h"

namespace otr::v4::vectors {

Json WycheproofPointVectors(const crypto::Backend& backend, const Json& wycheproof) {
  Json doc = {
      {"file", kWycheproofPointsFile},
      {"description",
       "Every Ed448 public key and every signature's R (the first 57 bytes of a 114-byte "
       "signature) of Wycheproof's ed448_test.json, decoded and validated by the C++ point code "
       "(otrv4.md \"Verifying that a point is on the curve\"); written by emit_cpp_vectors, "
       "checked by check_cpp_output.py. Not a published file."},
      {"spec_sections", {"Encoding and Decoding", "Verifying that a point is on the curve"}},
      {"readings", Json::object()},
      {"vectors", Json::array()},
  };
  std::set<std::string> seen;
  auto add = [&](const std::string& name, const std::string& encoding) {
    if (!seen.insert(encoding).second) return;
    Json v = {{"kind", "point_decode"}, {"name", name}, {"input", {{"encoding", encoding}}}};
    const Computed computed = Compute(backend, v);
    if (!computed.error.empty()) throw VectorError(name + ": " + computed.error);
    v["output"] = computed.output;
    doc["vectors"].push_back(v);
  };
  for (const Json& group : wycheproof.at("testGroups")) {
    const std::string key = StringField(group.at("publicKey"), "pk");
    add("wycheproof public key " + key.substr(0, 16), key);
    for (const Json& test : group.at("tests")) {
      const std::string sig = StringField(test, "sig");
      if (sig.size() != 2 * crypto::kEd448SignatureSize) continue;
      add("wycheproof tcId " + std::to_string(test.at("tcId").get<int>()) + " R",
          sig.substr(0, 2 * crypto::kEd448PointSize));
    }
  }
  return doc;
}

}  // namespace otr::v4::vectors
