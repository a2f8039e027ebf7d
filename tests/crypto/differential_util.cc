#include "tests/crypto/differential_util.h"

#include <cstdlib>
#include <cstring>

#include "crypto/testing/deterministic_random.h"

namespace otr::crypto::testing {

int CasesFor(int cases) {
  const char* env = std::getenv("RC_PARAMS");
  if (env != nullptr && std::strstr(env, "max_success") != nullptr) {
    return rc::detail::configuration().testParams.maxSuccess;
  }
  return cases;
}

rc::detail::TestParams ParamsFor(int cases) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = CasesFor(cases);
  return params;
}

void ReportResult(const rc::detail::TestResult& result, const rc::detail::TestParams& params) {
  if (result.template is<rc::detail::SuccessResult>()) return;
  std::ostringstream message;
  rc::detail::printResultMessage(result, message);
  ADD_FAILURE() << message.str() << "\n(rapidcheck seed " << params.seed
                << "; replay with RC_PARAMS=\"seed=" << params.seed << "\")";
}

Bytes RandomBytes(size_t size) {
  const uint64_t seed = Uniform<uint64_t>(0, UINT64_MAX);
  Bytes out(size);
  DeterministicRandom random(seed);
  random.Fill(out);
  return out;
}

Bytes RandomBytes(size_t min, size_t max) { return RandomBytes(Uniform<size_t>(min, max + 1)); }

std::vector<ByteView> RandomChunks(ByteView data) {
  std::vector<size_t> cuts = *rc::gen::container<std::vector<size_t>>(
      Uniform<size_t>(0, 8), rc::gen::resize(100, rc::gen::inRange<size_t>(0, data.size() + 1)));
  std::sort(cuts.begin(), cuts.end());
  std::vector<ByteView> chunks;
  size_t start = 0;
  for (size_t cut : cuts) {
    chunks.push_back(data.subspan(start, cut - start));
    start = cut;
  }
  chunks.push_back(data.subspan(start));
  return chunks;
}

std::string Outcome(const Result<SecretBytes>& r) {
  return r.ok() ? "ok:" + ToHex(r->view()) : "error:" + CodeName(r.code());
}

std::string Outcome(const Result<Bytes>& r) {
  return r.ok() ? "ok:" + ToHex(*r) : "error:" + CodeName(r.code());
}

std::string DecodeOutcome(const Backend& backend, ByteView encoded) {
  Result<Ed448Point> r = backend.Ed448Decode(encoded);
  return r.ok() ? "ok:" + ToHex(backend.Ed448Encode(*r)) : "error:" + CodeName(r.code());
}

std::string Outcome(const Status& s) { return s.ok() ? "ok" : "error:" + CodeName(s.code()); }

std::string Outcome(const SecretBytes& s) { return ToHex(s.view()); }

std::string Outcome(const Bytes& b) { return ToHex(b); }

std::string Outcome(const Ed448Encoding& e) { return ToHex(e); }

const Backend& FirstBackend() { return *AllBackends().front(); }

}  // namespace otr::crypto::testing
