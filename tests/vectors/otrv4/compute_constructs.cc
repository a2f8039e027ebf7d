// The constructs' vector kinds with protocol/v4/crypto, protocol/v4/ratchet's
// derivations and crypto::Backend (README.md, "Schema", rows kdf.json to
// ring_signature.json).
#include <array>
#include <cctype>
#include <string>

#include "base/error.h"
#include "crypto/modp_group.h"
#include "protocol/v4/crypto/dh3072.h"
#include "protocol/v4/crypto/fingerprint.h"
#include "protocol/v4/crypto/hash_to_scalar.h"
#include "protocol/v4/crypto/kdf.h"
#include "protocol/v4/crypto/keys.h"
#include "protocol/v4/crypto/ring_signature.h"
#include "protocol/v4/messages/data_types.h"
#include "protocol/v4/messages/ring_sig.h"
#include "protocol/v4/ratchet/derive.h"
#include "protocol/wire/writer.h"
#include "tests/vectors/otrv4/compute_internal.h"

namespace otr::v4::vectors {
namespace {

using crypto::Backend;
using crypto::SecretBytes;

SecretBytes SecretField(const Json& in, const char* key) {
  return SecretBytes(ByteView(HexField(in, key)));
}

// The schema's domains ("otrv4", "prekey-server") as our prefixes.
std::string_view DomainPrefix(const std::string& domain) {
  if (domain == "otrv4") return kOtrv4Domain;
  if (domain == "prekey-server") return kPrekeyServerDomain;
  throw VectorError("unknown domain " + domain);
}

const RingDomain& RingDomainOf(const std::string& domain) {
  if (domain == "otrv4") return kOtrv4Ring;
  if (domain == "prekey-server") return kPrekeyServerRing;
  throw VectorError("unknown domain " + domain);
}

// A usage by its spec name, checked against the file's usage ID.
template <typename UsageT, size_t N>
UsageT FindUsage(const std::array<UsageName<UsageT>, N>& all, const Json& in) {
  const std::string name = StringField(in, "usage");
  for (const auto& u : all) {
    if (u.name == name) {
      if (static_cast<int>(u.usage) != in.at("usage_id").get<int>()) {
        throw VectorError("usage ID of " + name + " differs from ours");
      }
      return u.usage;
    }
  }
  throw VectorError("we have no usage named " + name);
}

}  // namespace

// ---- kdf.json ----

void ComputeKdf(const Backend& backend, const Json& in, Computed& out) {
  const std::string domain = StringField(in, "domain");
  const std::string function = StringField(in, "function");
  const Bytes values = HexField(in, "values");
  const size_t size = in.at("size").get<size_t>();
  Bytes digest;
  if (domain == "otrv4") {
    const Usage usage = FindUsage(kAllUsages, in);
    if (function == "KDF") {
      digest = Kdf(backend, usage, {values}, size).Declassify();
    } else if (function == "HWC") {
      digest = Hwc(backend, usage, {values}, size);
    } else if (function == "HCMAC") {
      digest = Hcmac(backend, usage, {values}, size).Declassify();
    } else {
      throw VectorError("no function " + function + " in OTRv4");
    }
  } else if (domain == "prekey-server" && function == "KDF") {
    digest = PrekeyKdf(backend, FindUsage(kAllPrekeyUsages, in), {values}, size).Declassify();
  } else {
    throw VectorError("no function " + function + " in domain " + domain);
  }
  out.output["digest"] = Hex(digest);
}

// otrv4.md "Calculating Encryption and MAC Keys", "When you send a Data
// Message": protocol/v4/ratchet/derive.h.
void ComputeDataMessageKeys(const Backend& backend, const Json& in, Computed& out) {
  const SecretBytes chain_key = SecretField(in, "chain_key");
  const SecretBytes mk_enc = ratchet::DeriveMessageKey(backend, chain_key);
  const SecretBytes mk_mac = ratchet::DeriveMacKey(backend, mk_enc);
  out.output["MKenc"] = Hex(mk_enc.view());
  out.output["MKmac"] = Hex(mk_mac.view());
  out.output["next_chain_key"] = Hex(ratchet::NextChainKey(backend, chain_key).view());
  out.output["extra_symm_key"] = Hex(ratchet::ExtraSymmetricKey(backend, chain_key).view());
  out.output["authenticator"] =
      Hex(ratchet::Authenticator(backend, mk_mac, HexField(in, "data_message_sections")).view());
}

// ---- hash_to_scalar.json ----

void ComputeHashToScalar(const Backend& backend, const Json& in, Computed& out) {
  const std::string_view prefix = DomainPrefix(StringField(in, "domain"));
  const uint8_t usage_id = in.at("usage_id").get<uint8_t>();
  const Bytes d = HexField(in, "d");
  Bytes digest(kHashToScalarHashSize);
  DomainShake256(backend, prefix, usage_id, {d}, digest);
  out.output["digest"] = Hex(digest);
  out.output["scalar"] = Hex(HashToScalarInDomain(backend, prefix, usage_id, {d}).view());
}

// ---- keygen.json ----

void ComputeEcdh(const Backend& backend, const Json& in, Computed& out) {
  EcdhKeyPair pair = Take(GenerateEcdhFromRandom(backend, SecretField(in, "r")), "generateECDH");
  out.output["secret"] = Hex(pair.secret().view());
  out.output["public"] = PointHex(backend, pair.pub());
}

void ComputeDh(const Backend& backend, const Json& in, Computed& out) {
  crypto::DhKeyPair pair = Take(GenerateDhFromRandom(backend, SecretField(in, "r")), "generateDH");
  out.output["secret"] = BigHex(pair.secret.view());  // "r as an integer"
  out.output["public"] = Hex(pair.pub);
}

void ComputeLongTerm(const Backend& backend, const Json& in, Computed& out) {
  Ed448KeyPair pair =
      Take(DeriveEd448KeyPair(backend, SecretField(in, "sym_key")), "DeriveEd448KeyPair");
  const Point pub = backend.Ed448Encode(pair.pub);
  const std::string key = StringField(in, "key");
  wire::Writer writer;
  if (key == "ED448-PUBKEY") {
    WriteEd448Pubkey(writer, pub);
  } else if (key == "ED448-FORGING-KEY") {
    WriteEd448ForgingKey(writer, pub);
  } else if (key == "ED448-SHARED-PREKEY") {
    WriteEd448SharedPrekey(writer, pub);
  } else {
    throw VectorError("unknown key type " + key);
  }
  out.output["secret"] = Hex(pair.secret.view());
  out.output["public"] = Hex(pub);
  out.output["serialized"] = Hex(std::move(writer).Finish());
}

// otrv4.md "Generating Shared Secrets": ECDH(a, B) of protocol/v4/ratchet.
void ComputeEcdhSharedSecret(const Backend& backend, const Json& in, Computed& out) {
  EcdhKeyPair ours = Take(GenerateEcdhFromRandom(backend, SecretField(in, "r")), "generateECDH");
  const crypto::Ed448Point theirs = DecodePoint(backend, HexField(in, "their_public"));
  out.output["K_ecdh"] = Hex(Take(ratchet::Ecdh(backend, ours.secret(), theirs), "ECDH").view());
}

// ---- fingerprint.json ----

void ComputeFingerprint(const Backend& backend, const Json& in, Computed& out) {
  const Fingerprint fp = v4::ComputeFingerprint(backend, DecodePoint(backend, HexField(in, "H")),
                                                DecodePoint(backend, HexField(in, "F")));
  out.output["fingerprint"] = Hex(fp);
  out.output["human"] = FingerprintToHuman(fp);
}

void ComputePrekeyServerFingerprint(const Backend& backend, const Json& in, Computed& out) {
  out.output["fingerprint"] =
      Hex(v4::ComputePrekeyServerFingerprint(backend, DecodePoint(backend, HexField(in, "H"))));
}

// ---- dh3072.json ----

void ComputeDhConstants(const Backend&, const Json&, Computed& out) {
  const crypto::ModpGroup& group = Dh3072Group();
  auto upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  int g3 = 0;
  for (uint8_t byte : group.g) g3 = g3 * 256 + byte;
  out.output["dh_p"] = upper(BigHex(group.p));
  out.output["dh_q"] = upper(BigHex(group.q));
  out.output["g3"] = g3;
}

// CheckDhGroupElement answers kOutOfRange for both steps of "Verifying that
// an integer is in the DH group"; the step that failed is told apart by
// step 1 alone, crypto::CheckGroupElement (g3 <= x <= dh_p - g3).
void ComputeDhMembership(const Backend& backend, const Json& in, Computed& out) {
  const Bytes x = BigFromHex(StringField(in, "value"));
  const Status status = CheckDhGroupElement(backend, x);
  out.output["valid"] = status.ok();
  if (status.ok()) {
    out.output["reason"] = nullptr;
    return;
  }
  if (status.code() != ErrorCode::kOutOfRange) Check(status, "CheckDhGroupElement");
  out.output["reason"] = crypto::CheckGroupElement(backend, Dh3072Group(), x).ok()
                             ? "not-in-subgroup"
                             : "out-of-range";
}

// ---- points.json ----

// Backend::Ed448Decode's errors as the schema's reasons (README.md,
// "Other choices": "Points").
void ComputePointDecode(const Backend& backend, const Json& in, Computed& out) {
  Result<crypto::Ed448Point> point = backend.Ed448Decode(HexField(in, "encoding"));
  out.output["valid"] = point.ok();
  if (point.ok()) {
    out.output["reason"] = nullptr;
    out.output["reencoded"] = PointHex(backend, *point);
    return;
  }
  switch (point.code()) {
    case ErrorCode::kNonCanonical:
      out.output["reason"] = "non-canonical";
      break;
    case ErrorCode::kNotOnCurve:
      out.output["reason"] = "not-on-curve";
      break;
    case ErrorCode::kIdentityPoint:
      out.output["reason"] = "identity";
      break;
    case ErrorCode::kNotInSubgroup:
      out.output["reason"] = "torsion";
      break;
    default:
      ThrowError("Ed448Decode", point.error());
  }
}

void ComputePointBaseMul(const Backend& backend, const Json& in, Computed& out) {
  out.output["encoding"] = PointHex(backend, backend.Ed448MulBase(SecretField(in, "k")));
}

void ComputePointAdd(const Backend& backend, const Json& in, Computed& out) {
  out.output["encoding"] =
      PointHex(backend, backend.Ed448Add(DecodePoint(backend, HexField(in, "a")),
                                         DecodePoint(backend, HexField(in, "b"))));
}

void ComputePointMul(const Backend& backend, const Json& in, Computed& out) {
  out.output["encoding"] = PointHex(
      backend, backend.Ed448Mul(DecodePoint(backend, HexField(in, "point")), SecretField(in, "k")));
}

// ---- eddsa.json ----

// RFC 8032 Ed448 with a context: Backend signs and verifies with the empty
// context only, the one OTRv4 uses ("Create a Client Profile Signature").
constexpr const char* kNoContext =
    "crypto::Backend's Ed448 has no context input (OTRv4 signs with the empty context)";

bool HasContext(const Json& in) {
  return in.contains("context") && !StringField(in, "context").empty();
}

void ComputeEddsaSign(const Backend& backend, const Json& in, Computed& out) {
  const SecretBytes seed = SecretField(in, "secret");
  out.output["public"] = Hex(Take(backend.Ed448DerivePublicKey(seed), "Ed448DerivePublicKey"));
  if (HasContext(in)) {
    out.omitted["signature"] = kNoContext;
    return;
  }
  out.output["signature"] =
      Hex(Take(backend.Ed448Sign(seed, HexField(in, "message")), "Ed448Sign"));
}

void ComputeEddsaVerify(const Backend& backend, const Json& in, Computed& out) {
  if (HasContext(in)) {
    out.omitted["valid"] = kNoContext;
    return;
  }
  out.output["valid"] =
      backend
          .Ed448Verify(HexField(in, "public"), HexField(in, "message"), HexField(in, "signature"))
          .ok();
}

// ---- ring_signature.json ----

namespace {

Ring DecodeRing(const Backend& backend, const Json& in) {
  const Json& a = in.at("A");
  if (!a.is_array() || a.size() != 3) throw VectorError("A is not three points");
  return Ring{DecodePoint(backend, FromHex(a[0].get<std::string>())),
              DecodePoint(backend, FromHex(a[1].get<std::string>())),
              DecodePoint(backend, FromHex(a[2].get<std::string>()))};
}

}  // namespace

// RSigWithNonces takes the nine values of the generalised RSig after "hashed
// and pruned" (ring_signature.h); the file gives the five the prover's index
// uses as 57 random bytes each, which HashAndPrune turns into them. The
// other four are unused by RSig for that index (ring_signature.h): any
// 57-byte value. RSig does not expose T and c: they are derived from the
// signature, T_i = G * r_i + A_i * c_i (equal to G * t_i for the prover) and
// c = c1 + c2 + c3, so that a difference can be located.
void ComputeRsig(const Backend& backend, const Json& in, Computed& out) {
  const Ring ring = DecodeRing(backend, in);
  Ed448KeyPair key = Take(DeriveEd448KeyPair(backend, SecretField(in, "sym_key")), "secret key");
  const Json& given = in.at("nonces");
  const SecretBytes unused(crypto::kEd448ScalarSize);
  RingNonces nonces{unused, unused, unused, unused, unused, unused, unused, unused, unused};
  SecretBytes* by_name[] = {&nonces.t1, &nonces.t2, &nonces.t3, &nonces.c1, &nonces.c2,
                            &nonces.c3, &nonces.r1, &nonces.r2, &nonces.r3};
  const char* names[] = {"t1", "t2", "t3", "c1", "c2", "c3", "r1", "r2", "r3"};
  Json nonce_scalars = Json::object();
  for (size_t i = 0; i < 9; ++i) {
    if (!given.contains(names[i])) continue;
    *by_name[i] = Take(HashAndPrune(backend, SecretField(given, names[i])), "HashAndPrune");
    nonce_scalars[names[i]] = Hex(backend.Ed448ScalarReduce(by_name[i]->view()).view());
  }
  if (nonce_scalars.size() != given.size()) throw VectorError("unknown nonce name");
  const RingSigma sigma = Take(RSigWithNonces(backend, key.secret, ring, HexField(in, "m"), nonces,
                                              RingDomainOf(StringField(in, "domain"))),
                               "RSig");
  const std::array<const ScalarBytes*, 3> c = {&sigma.c1, &sigma.c2, &sigma.c3};
  const std::array<const ScalarBytes*, 3> r = {&sigma.r1, &sigma.r2, &sigma.r3};
  Json t = Json::array();
  SecretBytes c_sum(crypto::kEd448ScalarSize);
  for (size_t i = 0; i < 3; ++i) {
    const SecretBytes ci{ByteView(*c[i])};
    t.push_back(
        PointHex(backend, backend.Ed448Add(backend.Ed448MulBase(SecretBytes{ByteView(*r[i])}),
                                           backend.Ed448Mul(ring[i], ci))));
    c_sum = backend.Ed448ScalarAdd(c_sum, ci);
  }
  out.output["secret"] = Hex(key.secret.view());
  out.output["nonce_scalars"] = nonce_scalars;
  out.output["T"] = t;
  out.output["c"] = Hex(c_sum.view());
  out.output["sigma"] =
      Hex(EncodeRingSig(RingSig{sigma.c1, sigma.r1, sigma.c2, sigma.r2, sigma.c3, sigma.r3}));
}

// RVrf on the ring's encodings: an invalid point or a scalar >= q is a
// rejection like a failed equation (reading ring_sig_scalar_decoding).
void ComputeRvrf(const Backend& backend, const Json& in, Computed& out) {
  const Json& a = in.at("A");
  if (!a.is_array() || a.size() != 3) throw VectorError("A is not three points");
  RingEncodings ring;
  for (size_t i = 0; i < 3; ++i) {
    const Bytes bytes = FromHex(a[i].get<std::string>());
    if (bytes.size() != ring[i].size()) throw VectorError("A_i is not 57 bytes");
    std::copy(bytes.begin(), bytes.end(), ring[i].begin());
  }
  const RingSig sig = Take(DecodeRingSig(HexField(in, "sigma")), "DecodeRingSig");
  const RingSigma sigma{sig.c1, sig.r1, sig.c2, sig.r2, sig.c3, sig.r3};
  out.output["valid"] =
      RVrf(backend, ring, sigma, HexField(in, "m"), RingDomainOf(StringField(in, "domain"))).ok();
}

}  // namespace otr::v4::vectors
