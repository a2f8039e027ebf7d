// What the two `otr demo`s share (cmd_demo.cc for v2/v3, cmd_demo_v4.cc for
// v4): the coloured printer, the words for the events both show, and the
// lines for what a party reads and is told.
#ifndef OTR_TOOLS_CMD_DEMO_WIRETAP_H_
#define OTR_TOOLS_CMD_DEMO_WIRETAP_H_

#include <string>

#include "protocol/api/output.h"

namespace otr::tools {

class DemoPrinter {
 public:
  explicit DemoPrinter(bool color) : color_(color) {}
  void Say(const char* who_color, const std::string& text) const;
  void Heading(const std::string& text) const;
  void Note(const std::string& text) const;

  static constexpr const char* kAlice = "\033[36m";
  static constexpr const char* kBob = "\033[35m";
  static constexpr const char* kWire = "\033[32m";
  static constexpr const char* kEvent = "\033[1;37m";

 private:
  bool color_;
};

// The demo's words for an event that every version's demo shows, or
// nullptr (each demo adds its own).
const char* CommonDemoEventName(EventType type);

// Prints what `name` reads (`out.display`) in `color`, then each event that
// `event_name` has words for. An extra symmetric key is a secret: only its
// name is printed.
void ShowReadsAndEvents(const DemoPrinter& print, const std::string& name, const char* color,
                        const Output& out, const char* (*event_name)(EventType));

}  // namespace otr::tools

#endif  // OTR_TOOLS_CMD_DEMO_WIRETAP_H_
