// The C++ side of the OTRv4 vectors (README.md, "How they are checked"):
// every vector of every published file, computed with our code on every
// backend (compute.h) and compared key by key with the outputs the Python
// reference published; what our code computes but the file does not say
// (decoding the published encodings, verifying through the profile layer)
// is checked here too. The backends must agree on every output.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>
#include <string>

#include "crypto/backend.h"
#include "crypto/backends.h"
#include "crypto/testing/deterministic_random.h"
#include "protocol/prekey/messages/data_types.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/messages/profile.h"
#include "protocol/v4/messages/ring_sig.h"
#include "protocol/v4/profile/client_profile.h"
#include "protocol/v4/profile/keys.h"
#include "protocol/v4/profile/prekey_profile.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"
#include "tests/crypto/test_util.h"
#include "tests/vectors/otrv4/compute.h"
#include "tests/vectors/otrv4/compute_internal.h"
#include "tests/vectors/otrv4/vector_io.h"

namespace otr::v4::vectors {
namespace {

using crypto::Backend;

// The readings of the spec our code follows (README.md, "Readings of the
// spec"), each where our code makes the choice. Every published file must
// have been made with exactly these: a file made with another reading is a
// deliberate difference and would be listed here with the reason. There is
// none.
const Json& OurReadings() {
  static const Json readings = {
      // protocol/v4/messages/data_types.h: WriteEd448Pubkey, "little-endian".
      {"pubkey_type_byte_order", "little"},
      // protocol/v4/messages/profile.h: ClientProfileSignedBytes.
      {"client_profile_signed_bytes", "encoding"},
      // protocol/v4/crypto/fingerprint.h: the POINTs, without the types.
      {"fingerprint_input", "points"},
      // protocol/v4/crypto/ring_signature.h: HashAndPrune, taken mod q.
      {"ring_sig_nonce_derivation", "shake-prune-modq"},
      // ring_signature.h: kEd448OrderLittleEndian.
      {"ring_sig_q_encoding", "scalar-unreduced"},
      // ring_signature.h: RVrf, kNonCanonical for a scalar >= q.
      {"ring_sig_scalar_decoding", "canonical"},
      // protocol/v4/crypto/keys.h: GenerateDhFromRandom, r big-endian.
      {"dh_secret_byte_order", "big"},
      // protocol/v4/messages/prekey_message.h: no receiver instance tag.
      {"prekey_message_has_receiver_tag", false},
  };
  return readings;
}

// The output keys Compute() leaves out, by kind (compute_*.cc say why):
// EdDSA with a context (RFC 8032's one such vector). Any other omission is a
// failure.
const std::map<std::string, std::set<std::string>>& AllowedOmissions() {
  static const std::map<std::string, std::set<std::string>> allowed = {
      {"eddsa_sign", {"signature"}},
      {"eddsa_verify", {"valid"}},
  };
  return allowed;
}

std::string Label(const std::string& file, size_t n, const Json& v) {
  return file + " #" + std::to_string(n) + " " + v.value("name", std::string()) + " (" +
         v.value("kind", std::string()) + ")";
}

// Compares what we computed with the file's output; returns the number of
// keys compared.
int CompareOutputs(const std::string& label, const std::string& kind, const Json& expected,
                   const Computed& computed) {
  int compared = 0;
  for (const auto& [key, value] : computed.output.items()) {
    if (!expected.contains(key)) {
      ADD_FAILURE() << label << ": we compute \"" << key << "\", the file has no such output";
      continue;
    }
    EXPECT_EQ(value, expected[key]) << label << ": output \"" << key << "\"";
    ++compared;
  }
  for (const auto& [key, value] : expected.items()) {
    if (computed.output.contains(key)) continue;
    auto reason = computed.omitted.find(key);
    if (reason == computed.omitted.end()) {
      ADD_FAILURE() << label << ": output \"" << key << "\" not computed";
      continue;
    }
    auto allowed = AllowedOmissions().find(kind);
    EXPECT_TRUE(allowed != AllowedOmissions().end() && allowed->second.count(key) != 0)
        << label << ": \"" << key << "\" omitted without leave: " << reason->second;
  }
  for (const auto& [key, reason] : computed.omitted) {
    EXPECT_TRUE(expected.contains(key)) << label << ": omits \"" << key << "\", not an output";
  }
  return compared;
}

// --- Checks beyond the file's outputs, on the published bytes ---

// messages.json "message": the published encoding decodes with our decoder
// to the message built from the fields, and re-encodes to the same bytes.
void CheckMessageDecodes(const std::string& label, const Json& v) {
  const std::string name = v["input"]["message"].get<std::string>();
  const Bytes encoding = HexField(v["output"], "encoding");
  Result<AnyMessage> decoded = DecodeAnyMessage(name, encoding);
  ASSERT_TRUE(decoded.ok()) << label
                            << ": our decoder refuses it: " << ErrorCodeName(decoded.code());
  EXPECT_TRUE(*decoded == MessageFromFields(name, v["input"]["fields"]))
      << label << ": decoded fields differ from the file's";
  EXPECT_EQ(Hex(EncodeAnyMessage(*decoded)), Hex(encoding)) << label << ": re-encoding";
  // DAKE-3 carries a Prekey Publication or a Storage Information Request
  // as bytes: they decode too ("Verifies that the message type is either
  // 0x08 or 0x09").
  if (const auto* any = std::get_if<prekey::Message>(&*decoded)) {
    if (const auto* dake3 = std::get_if<prekey::Dake3>(any)) {
      Result<prekey::AttachedMessage> attached = prekey::DecodeAttachedMessage(dake3->message);
      ASSERT_TRUE(attached.ok()) << label
                                 << ": the attached message: " << ErrorCodeName(attached.code());
      EXPECT_EQ(Hex(prekey::EncodeAttachedMessage(*attached)), Hex(dake3->message)) << label;
    }
  }
}

void CheckTlvDecodes(const std::string& label, const Json& v) {
  Result<Tlv> decoded = DecodeTlvRecord(HexField(v["output"], "encoding"));
  ASSERT_TRUE(decoded.ok()) << label << ": " << ErrorCodeName(decoded.code());
  EXPECT_TRUE(*decoded == TlvFromInput(v["input"])) << label << ": decoded TLV differs";
}

// client_profile.json: the published profile decodes, re-encodes, and its
// signature verifies through protocol/v4/profile; without the optional
// fields, CreateClientProfile makes exactly these bytes.
void CheckClientProfile(const Backend& backend, const std::string& label, const Json& v) {
  const Bytes encoding = HexField(v["output"], "encoding");
  Result<ClientProfile> p = DecodeClientProfile(encoding);
  ASSERT_TRUE(p.ok()) << label << ": " << ErrorCodeName(p.code());
  EXPECT_EQ(Hex(EncodeClientProfile(*p)), Hex(encoding)) << label;
  EXPECT_TRUE(profile::VerifyClientProfileSignature(backend, *p).ok()) << label;
  const Json& in = v["input"];
  if (in.contains("dsa_pubkey") || in.contains("transitional_signature") ||
      in.contains("field_order")) {
    return;
  }
  profile::Ed448KeyPair f = Take(profile::Ed448KeyPairFromSymKey(
                                     backend, crypto::SecretBytes(ByteView(HexField(in, "sym_f")))),
                                 "sym_f");
  profile::ClientProfileParams params;
  params.owner_instance_tag = in["instance_tag"].get<uint32_t>();
  params.forging_key = f.point;
  params.versions = in["versions"].get<std::string>();
  params.expiration = in["expiration"].get<int64_t>();
  crypto::testing::DeterministicRandom random(uint64_t{1});
  Result<ClientProfile> created = profile::CreateClientProfile(
      backend, crypto::SecretBytes(ByteView(HexField(in, "sym_h"))), params, random);
  ASSERT_TRUE(created.ok()) << label << ": " << ErrorCodeName(created.code());
  EXPECT_EQ(Hex(EncodeClientProfile(*created)), Hex(encoding)) << label << ": CreateClientProfile";
}

void CheckPrekeyProfile(const Backend& backend, const std::string& label, const Json& v) {
  const Bytes encoding = HexField(v["output"], "encoding");
  Result<PrekeyProfile> p = DecodePrekeyProfile(encoding);
  ASSERT_TRUE(p.ok()) << label << ": " << ErrorCodeName(p.code());
  EXPECT_EQ(Hex(EncodePrekeyProfile(*p)), Hex(encoding)) << label;
  Point h;
  const Bytes h_bytes = HexField(v["output"], "H");
  ASSERT_EQ(h_bytes.size(), h.size());
  std::copy(h_bytes.begin(), h_bytes.end(), h.begin());
  EXPECT_TRUE(profile::VerifyPrekeyProfileSignature(backend, *p, h).ok()) << label;
}

// profile_signature_verify: the same verdict from the profile layer, on the
// profile the signed bytes and signature make up. (The client profile
// layer verifies under the profile's own H; a vector that checks another
// key is Backend::Ed448Verify's alone, and invalid.)
void CheckProfileVerify(const Backend& backend, const std::string& file, const std::string& label,
                        const Json& v) {
  Bytes whole = HexField(v["input"], "signed_bytes");
  const Bytes sig = HexField(v["input"], "signature");
  whole.insert(whole.end(), sig.begin(), sig.end());
  const Bytes h_bytes = HexField(v["input"], "H");
  Point h;
  ASSERT_EQ(h_bytes.size(), h.size());
  std::copy(h_bytes.begin(), h_bytes.end(), h.begin());
  const bool valid = v["output"]["valid"].get<bool>();
  if (file == "prekey_profile.json") {
    Result<PrekeyProfile> p = DecodePrekeyProfile(whole);
    ASSERT_TRUE(p.ok()) << label;
    EXPECT_EQ(profile::VerifyPrekeyProfileSignature(backend, *p, h).ok(), valid) << label;
    return;
  }
  Result<ClientProfile> p = DecodeClientProfile(whole);
  ASSERT_TRUE(p.ok()) << label;
  if (p->public_key == h) {
    EXPECT_EQ(profile::VerifyClientProfileSignature(backend, *p).ok(), valid) << label;
  } else {
    EXPECT_FALSE(valid) << label << ": verified under a key that is not the profile's";
  }
}

// rsig: RVrf accepts our signature.
void CheckRsigVerifies(const Backend& backend, const std::string& label, const Json& v,
                       const Computed& computed) {
  Json rvrf = {{"kind", "rvrf"},
               {"input",
                {{"domain", v["input"]["domain"]},
                 {"A", v["input"]["A"]},
                 {"m", v["input"]["m"]},
                 {"sigma", computed.output.value("sigma", std::string())}}}};
  const Computed verdict = Compute(backend, rvrf);
  EXPECT_EQ(verdict.error, "") << label;
  EXPECT_EQ(verdict.output.value("valid", false), true) << label << ": RVrf of our sigma";
}

// prekey_proofs: the published proofs are PROOF-ECDH / PROOF-DH our wire
// layer reads and writes back unchanged, in the order "proofs" has them.
void CheckProofsOnTheWire(const std::string& label, const Json& v) {
  const Json& out = v["output"];
  Bytes concatenated;
  for (const char* key : {"message_ecdh_proof", "message_dh_proof", "prekey_profile_proof"}) {
    if (!out.contains(key)) continue;
    const Bytes bytes = HexField(out, key);
    wire::Reader reader(bytes);
    wire::Writer writer;
    if (std::string(key) == "message_dh_proof") {
      Result<prekey::DhProof> proof = prekey::ReadDhProof(reader);
      ASSERT_TRUE(proof.ok()) << label << " " << key;
      prekey::WriteDhProof(writer, *proof);
    } else {
      Result<prekey::EcdhProof> proof = prekey::ReadEcdhProof(reader);
      ASSERT_TRUE(proof.ok()) << label << " " << key;
      prekey::WriteEcdhProof(writer, *proof);
    }
    EXPECT_EQ(reader.remaining(), 0u) << label << " " << key;
    EXPECT_EQ(Hex(std::move(writer).Finish()), Hex(bytes)) << label << " " << key;
    concatenated.insert(concatenated.end(), bytes.begin(), bytes.end());
  }
  EXPECT_EQ(Hex(concatenated), out.value("proofs", std::string())) << label;
}

void CheckBeyondOutputs(const Backend& backend, const std::string& file, const std::string& label,
                        const Json& v, const Computed& computed) {
  const std::string kind = v["kind"].get<std::string>();
  if (kind == "message") CheckMessageDecodes(label, v);
  if (kind == "tlv") CheckTlvDecodes(label, v);
  if (kind == "client_profile") CheckClientProfile(backend, label, v);
  if (kind == "prekey_profile") CheckPrekeyProfile(backend, label, v);
  if (kind == "profile_signature_verify") CheckProfileVerify(backend, file, label, v);
  if (kind == "rsig") CheckRsigVerifies(backend, label, v, computed);
  if (kind == "prekey_proofs") CheckProofsOnTheWire(label, v);
}

using VectorsTest = crypto::testing::BackendTest;
OTR_INSTANTIATE_FOR_ALL_BACKENDS(VectorsTest);

TEST_P(VectorsTest, OurCodeGivesEveryPublishedOutput) {
  int vectors = 0;
  int keys = 0;
  int omitted = 0;
  for (const std::string& file : PublishedFileNames()) {
    SCOPED_TRACE(file);
    Json doc;
    try {
      doc = LoadPublishedFile(file);
    } catch (const VectorError& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    EXPECT_EQ(doc.value("readings", Json()), OurReadings())
        << file << " was made with readings our code does not follow";
    ASSERT_TRUE(doc["vectors"].is_array() && !doc["vectors"].empty()) << file;
    std::map<std::string, int> per_kind;
    for (size_t n = 0; n < doc["vectors"].size(); ++n) {
      const Json& v = doc["vectors"][n];
      const std::string label = Label(file, n, v);
      const Computed computed = Compute(backend(), v);
      if (!computed.error.empty()) {
        ADD_FAILURE() << label << ": " << computed.error;
        continue;
      }
      keys += CompareOutputs(label, v["kind"].get<std::string>(), v["output"], computed);
      for (const auto& [key, reason] : computed.omitted) {
        std::cout << "[otrv4 vectors] " << backend().name() << " " << label << ": \"" << key
                  << "\" not computed: " << reason << std::endl;
        ++omitted;
      }
      try {
        CheckBeyondOutputs(backend(), file, label, v, computed);
      } catch (const std::exception& e) {
        ADD_FAILURE() << label << ": " << e.what();
      }
      ++per_kind[v["kind"].get<std::string>()];
      ++vectors;
    }
    std::cout << "[otrv4 vectors] " << backend().name() << " " << file << ":";
    for (const auto& [kind, count] : per_kind) std::cout << " " << kind << " " << count;
    std::cout << std::endl;
  }
  std::cout << "[otrv4 vectors] " << backend().name() << ": " << vectors << " vectors, " << keys
            << " outputs equal, " << omitted << " not computed" << std::endl;
  EXPECT_GT(vectors, 0);
}

// Wycheproof's Ed448 vectors through the point code (issue 16): every public
// key and every signature's R decoded by Ed448Decode (cpp_output_test has
// the reference check each verdict and reason); whenever the key or R is
// refused, Ed448Verify must refuse the signature too, and every case
// Wycheproof calls valid has a key and an R that decode.
TEST_P(VectorsTest, WycheproofEd448PointsAgreeWithVerify) {
  const Json wycheproof = LoadRunfile("tests/vectors/wycheproof/ed448_test.json");
  const Json doc = WycheproofPointVectors(backend(), wycheproof);
  std::map<std::string, bool> valid;
  for (const Json& v : doc["vectors"]) {
    valid[v["input"]["encoding"].get<std::string>()] = v["output"]["valid"].get<bool>();
  }
  int keys_refused = 0, r_refused = 0, cases = 0;
  for (const Json& group : wycheproof["testGroups"]) {
    const std::string key = group["publicKey"]["pk"].get<std::string>();
    ASSERT_EQ(valid.count(key), 1u) << key;
    keys_refused += valid[key] ? 0 : 1;
    for (const Json& test : group["tests"]) {
      ++cases;
      const std::string sig = test["sig"].get<std::string>();
      bool points_ok = valid[key];
      if (sig.size() == 2 * crypto::kEd448SignatureSize) {
        const std::string r = sig.substr(0, 2 * crypto::kEd448PointSize);
        ASSERT_EQ(valid.count(r), 1u) << r;
        r_refused += valid[r] ? 0 : 1;
        points_ok = points_ok && valid[r];
      }
      const std::string result = test["result"].get<std::string>();
      const int tc = test["tcId"].get<int>();
      if (result == "valid") {
        EXPECT_TRUE(points_ok) << "tcId " << tc << ": a point is refused";
      }
      if (points_ok) continue;
      EXPECT_FALSE(
          backend()
              .Ed448Verify(FromHex(key), FromHex(test["msg"].get<std::string>()), FromHex(sig))
              .ok())
          << "tcId " << tc << ": verified with a refused key or R";
    }
  }
  std::cout << "[otrv4 vectors] " << backend().name() << " Wycheproof Ed448: " << cases
            << " cases, " << doc["vectors"].size() << " distinct keys and R values decoded, "
            << keys_refused << " keys refused, " << r_refused << " cases with a refused R"
            << std::endl;
  EXPECT_EQ(cases, wycheproof["numberOfTests"].get<int>());
}

// Differential (issue 16): both backends give the same output for every
// vector, byte for byte (omissions and errors included).
TEST(VectorsDifferentialTest, BackendsAgreeOnEveryVector) {
  const auto backends = crypto::AllBackends();
  ASSERT_GE(backends.size(), 2u);
  int vectors = 0;
  for (const std::string& file : PublishedFileNames()) {
    const Json doc = LoadPublishedFile(file);
    for (size_t n = 0; n < doc["vectors"].size(); ++n) {
      const Json& v = doc["vectors"][n];
      const Computed first = Compute(*backends[0], v);
      for (size_t b = 1; b < backends.size(); ++b) {
        const Computed other = Compute(*backends[b], v);
        EXPECT_EQ(other.output.dump(), first.output.dump())
            << Label(file, n, v) << ": " << backends[b]->name() << " vs " << backends[0]->name();
        EXPECT_EQ(other.error, first.error) << Label(file, n, v);
        EXPECT_EQ(other.omitted, first.omitted) << Label(file, n, v);
      }
      ++vectors;
    }
  }
  const Json wycheproof = LoadRunfile("tests/vectors/wycheproof/ed448_test.json");
  const std::string first = WycheproofPointVectors(*backends[0], wycheproof).dump();
  for (size_t b = 1; b < backends.size(); ++b) {
    EXPECT_EQ(WycheproofPointVectors(*backends[b], wycheproof).dump(), first)
        << "Wycheproof points: " << backends[b]->name() << " vs " << backends[0]->name();
  }
  std::cout << "[otrv4 vectors] backends agree on " << vectors << " vectors" << std::endl;
  EXPECT_GT(vectors, 0);
}

}  // namespace
}  // namespace otr::v4::vectors
