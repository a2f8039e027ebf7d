#include "tests/properties/scenario.h"

namespace otr::properties {
namespace {

// User text: printable, no NUL (a NUL starts the TLVs), 1..300 bytes.
rc::Gen<std::string> Text() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(1, 301), [](size_t n) {
    return rc::gen::container<std::string>(n, rc::gen::inRange<char>(0x20, 0x7f));
  });
}

rc::Gen<Step> GenStep() {
  using K = Step::Kind;
  auto step = [](K kind) {
    return rc::gen::apply(
        [kind](int who, uint32_t pick, std::string text, bool equal) {
          Step s;
          s.kind = kind;
          s.who = who;
          s.pick = pick;
          if (kind == K::kSend) s.text = std::move(text);
          s.equal = equal;
          return s;
        },
        rc::gen::inRange(0, 2), rc::gen::arbitrary<uint32_t>(), Text(), rc::gen::arbitrary<bool>());
  };
  return rc::gen::weightedOneOf<Step>({
      {30, step(K::kSend)},
      {25, step(K::kDeliver)},
      {12, step(K::kFlush)},
      {10, step(K::kReplay)},
      {3, step(K::kSmp)},
      {3, step(K::kRefresh)},
      {3, step(K::kRestart)},
  });
}

rc::Gen<Policy> GenPolicy(bool v2, bool v3) {
  return rc::gen::apply(
      [v2, v3](bool require, bool tag, bool ws_start, bool err_start) {
        Policy p;
        p.allow_v2 = v2;
        p.allow_v3 = v3;
        p.require_encryption = require;
        p.send_whitespace_tag = tag;
        p.whitespace_start_ake = ws_start;
        p.error_start_ake = err_start;
        return p;
      },
      rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>(),
      rc::gen::arbitrary<bool>());
}

}  // namespace

rc::Gen<Scenario> GenScenario(int version) {
  // v2: at least one side speaks only v2; v3: both speak v3, v2 optional.
  auto versions = rc::gen::apply(
      [version](int v2_only_side, bool a_v2, bool b_v2) {
        std::array<std::pair<bool, bool>, 2> out;  // (allow_v2, allow_v3)
        if (version == 2) {
          out[0] = {true, v2_only_side == 1};
          out[1] = {true, v2_only_side == 0};
          if (v2_only_side == 2) out = {{{true, false}, {true, false}}};
        } else {
          out[0] = {a_v2, true};
          out[1] = {b_v2, true};
        }
        return out;
      },
      rc::gen::inRange(0, 3), rc::gen::arbitrary<bool>(), rc::gen::arbitrary<bool>());
  return rc::gen::mapcat(versions, [version](std::array<std::pair<bool, bool>, 2> v) {
    return rc::gen::apply(
        [version](Policy a, Policy b, int starter, int how, std::vector<Step> steps,
                  uint64_t seed) {
          Scenario s;
          s.version = version;
          s.policy[0] = a;
          s.policy[1] = b;
          s.starter = starter;
          s.how = static_cast<StartHow>(how);
          // Make the chosen start work: the starter tags and the other
          // starts on the tag, or the starter requires encryption.
          Policy& mine = s.policy[starter];
          Policy& theirs = s.policy[1 - starter];
          if (s.how == StartHow::kWhitespaceTag) {
            mine.send_whitespace_tag = true;
            mine.require_encryption = false;
            theirs.whitespace_start_ake = true;
          } else if (s.how == StartHow::kRequireEncryption) {
            mine.require_encryption = true;
          }
          s.steps = std::move(steps);
          s.seed = seed;
          return s;
        },
        GenPolicy(v[0].first, v[0].second), GenPolicy(v[1].first, v[1].second),
        rc::gen::inRange(0, 2), rc::gen::inRange(0, 3),
        rc::gen::mapcat(
            rc::gen::inRange<size_t>(4, 41),
            [](size_t n) { return rc::gen::container<std::vector<Step>>(n, GenStep()); }),
        rc::gen::arbitrary<uint64_t>());
  });
}

std::ostream& operator<<(std::ostream& os, const Scenario& s) {
  static const char* kStart[] = {"query", "whitespace tag", "require encryption"};
  static const char* kKind[] = {"send", "deliver", "flush", "replay", "smp", "refresh", "restart"};
  os << "v" << s.version << ", " << (s.starter == 0 ? "Alice" : "Bob") << " starts by "
     << kStart[static_cast<int>(s.how)] << ", seed " << s.seed << "\n";
  for (int i = 0; i < 2; ++i) {
    const Policy& p = s.policy[i];
    os << "  policy " << (i == 0 ? "Alice" : "Bob") << ": v2=" << p.allow_v2 << " v3=" << p.allow_v3
       << " require=" << p.require_encryption << " tag=" << p.send_whitespace_tag
       << " ws_start=" << p.whitespace_start_ake << " err_start=" << p.error_start_ake << "\n";
  }
  for (const Step& st : s.steps) {
    os << "  " << kKind[static_cast<int>(st.kind)] << " who=" << st.who << " pick=" << st.pick;
    if (st.kind == Step::Kind::kSend) os << " text[" << st.text.size() << "]";
    if (st.kind == Step::Kind::kSmp) os << " equal=" << st.equal;
    os << "\n";
  }
  return os;
}

void showValue(const Scenario& s, std::ostream& os) { os << s; }

}  // namespace otr::properties
