// A small command-line face of the text layer, for the python-potr
// conformance test (and for looking at messages by hand).
//
//   wire_cli classify            reads one message on stdin, prints what it is
//   wire_cli query BITS          stdin is the text; prints EncodeQuery
//   wire_cli tag BITS            stdin is the text; prints EncodeTaggedPlaintext
//   wire_cli error               stdin is the text; prints MakeErrorMessage
//   wire_cli fragment MAX V S R  stdin is the message; prints one fragment a line
//   wire_cli reassemble          stdin is fragments, one a line; prints each
//                                completed message on a line
// BITS is a VersionSet's bits (bit v for version v); binary text is printed
// in hex where a line format needs it.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <variant>

#include "protocol/wire/classify.h"
#include "protocol/wire/error_message.h"
#include "protocol/wire/fragment.h"
#include "protocol/wire/query.h"
#include "protocol/wire/reassembler.h"
#include "protocol/wire/whitespace_tag.h"

namespace {

using namespace otr::wire;

std::string Hex(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string ReadAll() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

std::string Describe(const InboundMessage& m) {
  std::ostringstream out;
  if (const auto* p = std::get_if<PlainText>(&m)) {
    out << "plain text=" << Hex(p->text);
  } else if (const auto* t = std::get_if<TaggedPlaintext>(&m)) {
    out << "tagged versions=" << t->versions.bits() << " text=" << Hex(t->text);
  } else if (const auto* q = std::get_if<QueryMessage>(&m)) {
    out << "query versions=" << q->versions.bits() << " text=" << Hex(q->text);
  } else if (const auto* e = std::get_if<ErrorMessage>(&m)) {
    out << "error detail=" << Hex(e->detail) << " display=" << Hex(ErrorDisplayText(*e));
  } else if (const auto* d = std::get_if<EncodedMessage>(&m)) {
    out << "encoded version=" << d->protocol_version << " type=" << int{d->message_type};
  } else if (const auto* u = std::get_if<UnsupportedMessage>(&m)) {
    out << "unsupported version=" << u->protocol_version << " type=" << int{u->message_type};
  } else if (const auto* f = std::get_if<Fragment>(&m)) {
    out << "fragment version=" << f->version << " sender=" << f->sender
        << " receiver=" << f->receiver << " k=" << f->k << " n=" << f->n
        << " piece=" << Hex(f->piece);
  } else {
    const auto& bad = std::get<MalformedMessage>(m);
    out << "malformed kind=" << static_cast<int>(bad.kind)
        << " code=" << otr::ErrorCodeName(bad.error.code);
  }
  return out.str();
}

int Fail(const otr::Error& error) {
  std::fprintf(stderr, "error: %s (%.*s)\n", std::string(otr::ErrorCodeName(error.code)).c_str(),
               static_cast<int>(error.context.size()), error.context.data());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string command = argv[1];
  if (command == "classify") {
    std::cout << Describe(Classify(ReadAll())) << "\n";
    return 0;
  }
  if (command == "query" && argc == 3) {
    std::cout << EncodeQuery({VersionSet::FromBits(std::strtoul(argv[2], nullptr, 0)), ReadAll()});
    return 0;
  }
  if (command == "tag" && argc == 3) {
    auto text =
        EncodeTaggedPlaintext({VersionSet::FromBits(std::strtoul(argv[2], nullptr, 0)), ReadAll()});
    if (!text.ok()) return Fail(text.error());
    std::cout << *text;
    return 0;
  }
  if (command == "error") {
    std::cout << EncodeErrorMessage(MakeErrorMessage(ReadAll()));
    return 0;
  }
  if (command == "fragment" && argc == 6) {
    auto fragments =
        FragmentMessage(ReadAll(), std::strtoul(argv[2], nullptr, 0), std::atoi(argv[3]),
                        static_cast<InstanceTag>(std::strtoul(argv[4], nullptr, 0)),
                        static_cast<InstanceTag>(std::strtoul(argv[5], nullptr, 0)));
    if (!fragments.ok()) return Fail(fragments.error());
    for (const std::string& f : *fragments) std::cout << f << "\n";
    return 0;
  }
  if (command == "reassemble") {
    Reassembler reassembler;
    std::string line;
    while (std::getline(std::cin, line)) {
      auto fragment = DecodeFragment(line);
      if (!fragment.ok()) return Fail(fragment.error());
      auto result = reassembler.Add(*fragment);
      if (!result.ok()) return Fail(result.error());
      if (result->has_value()) std::cout << **result << "\n";
    }
    return 0;
  }
  return 2;
}
