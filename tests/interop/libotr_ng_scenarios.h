// The issue 20 interoperability scenarios, written once against an endpoint
// interface so the same scenario runs with either party starting and with
// any pair of endpoints: two libotr-ng clients (which checks the endpoint and
// the scenario themselves, libotr_ng_interop_test), and the `libotr-ng`
// compatibility profile's DAKE and ratchet against a libotr-ng client
// (libotr_ng_profile_test; our Session does not select the profile yet).
#ifndef OTR_TESTS_INTEROP_LIBOTR_NG_SCENARIOS_H_
#define OTR_TESTS_INTEROP_LIBOTR_NG_SCENARIOS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace otr::testing {

// One OTRv4 party as the scenarios see it: user actions give transport
// messages; transport messages give replies; observations are counters.
class V4Endpoint {
 public:
  virtual ~V4Endpoint() = default;
  virtual std::string name() const = 0;
  virtual std::vector<std::string> Start() = 0;  // the Query Message
  virtual std::vector<std::string> Send(const std::string& text, int max_size = 0) = 0;
  virtual std::vector<std::string> Receive(const std::string& message) = 0;
  virtual std::vector<std::string> StartSmp(const std::string& secret,
                                            const std::string& question) = 0;
  virtual std::vector<std::string> RespondSmp(const std::string& secret) = 0;
  virtual std::vector<std::string> AbortSmp() = 0;
  virtual std::vector<std::string> Disconnect() = 0;
  // Sends TLV 7 and returns the key this party derived in `key`.
  virtual std::vector<std::string> UseSymmetricKey(uint32_t use, const std::string& data,
                                                   std::string* key) = 0;
  virtual std::vector<std::string> ExpireSession() = 0;

  virtual bool encrypted() const = 0;
  virtual bool finished() const = 0;
  virtual std::vector<std::string> displayed() const = 0;
  virtual int smp_successes() const = 0;
  virtual int smp_failures() const = 0;
  virtual int smp_aborts() const = 0;
  virtual bool smp_asked() const = 0;
  virtual std::string last_smp_question() const = 0;
  virtual std::string received_symkey() const = 0;
  // The fingerprints this party shows its user: its own, and its peer's
  // once a DAKE finished (hex; empty before).
  virtual std::string our_fingerprint_hex() const = 0;
  virtual std::string their_fingerprint_hex() const = 0;
};

// A libotr-ng client as an endpoint (LibotrNgPeer).
class LibotrNgPeer;
std::unique_ptr<V4Endpoint> MakeNgEndpoint(const std::string& account, const std::string& buddy,
                                           uint32_t tag);
LibotrNgPeer& NgPeerOf(V4Endpoint& ng_endpoint);

// Delivers `out` (sent by `from`) and every reply, both ways, in order,
// until quiet. Returns how many messages were delivered.
int Pump(V4Endpoint& from, V4Endpoint& to, std::vector<std::string> out);

// The issue 20 scenarios, `a` starting (gtest assertions; otrv4.md
// sections cited in libotr_ng_scenarios.cc).
void ScenarioDake(V4Endpoint& a, V4Endpoint& b);
void ScenarioPingPong(V4Endpoint& a, V4Endpoint& b, int count);
void ScenarioBurst(V4Endpoint& a, V4Endpoint& b, int count);
void ScenarioOutOfOrder(V4Endpoint& a, V4Endpoint& b);
void ScenarioFragments(V4Endpoint& a, V4Endpoint& b);
void ScenarioSmp(V4Endpoint& a, V4Endpoint& b, const std::string& question, bool right);
void ScenarioSmpAbort(V4Endpoint& a, V4Endpoint& b);
// `expect_same` is false only where libotr-ng sends the TLV 7 (its sender
// hands out another key: docs/libotr-ng-deviations.md, "libotr-ng defects").
void ScenarioExtraKey(V4Endpoint& a, V4Endpoint& b, bool expect_same = true);
void ScenarioDisconnect(V4Endpoint& a, V4Endpoint& b);
void ScenarioExpiry(V4Endpoint& a, V4Endpoint& b);

}  // namespace otr::testing

#endif  // OTR_TESTS_INTEROP_LIBOTR_NG_SCENARIOS_H_
