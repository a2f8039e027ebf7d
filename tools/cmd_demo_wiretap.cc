#include "tools/cmd_demo_wiretap.h"

#include <cstdio>

namespace otr::tools {

void DemoPrinter::Say(const char* who_color, const std::string& text) const {
  std::printf("%s%s%s\n", color_ ? who_color : "", text.c_str(), color_ ? "\033[0m" : "");
}

void DemoPrinter::Heading(const std::string& text) const {
  Say("\033[1;33m", "\n== " + text + " ==");
}

void DemoPrinter::Note(const std::string& text) const { Say("\033[2m", "   " + text); }

const char* CommonDemoEventName(EventType type) {
  switch (type) {
    case EventType::kWentSecure:
      return "conversation is now private";
    case EventType::kWentInsecure:
      return "conversation is no longer private";
    case EventType::kPeerEnded:
      return "the other side ended the private conversation";
    case EventType::kNewFingerprint:
      return "new fingerprint";
    case EventType::kSmpAskSecret:
      return "SMP: asked for the secret";
    case EventType::kSmpSucceeded:
      return "SMP: the secrets match - identity verified";
    case EventType::kSmpFailed:
      return "SMP: the secrets differ";
    case EventType::kSmpAborted:
      return "SMP aborted";
    case EventType::kCannotSend:
      return "message not sent: the other side ended";
    default:
      return nullptr;
  }
}

void ShowReadsAndEvents(const DemoPrinter& print, const std::string& name, const char* color,
                        const Output& out, const char* (*event_name)(EventType)) {
  for (const Displayed& d : out.display) {
    print.Say(color, "   " + name + " reads" + (d.encrypted ? " (private): " : " (NOT private): ") +
                         d.text.substr(0, 60) + (d.text.size() > 60 ? "..." : ""));
  }
  for (const Event& e : out.events) {
    const auto* smp = e.As<events::SmpSucceeded>();
    // Only the asker (or both sides without a question) learns who is at
    // the other end (events::SmpSucceeded::authenticates_peer).
    const char* what = smp != nullptr && !smp->authenticates_peer
                           ? "SMP: the secrets match - this answers the question; it does "
                             "not verify the one who asked"
                           : event_name(e.type());
    if (what == nullptr) continue;
    std::string line = "   [" + name + "] " + what;
    if (e.type() != EventType::kExtraSymmetricKey) {
      const std::string detail = EventText(e);
      if (!detail.empty()) line += ": " + detail;
    }
    print.Say(DemoPrinter::kEvent, line);
  }
}

}  // namespace otr::tools
