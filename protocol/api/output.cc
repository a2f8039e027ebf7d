#include "protocol/api/output.h"

#include <utility>

namespace otr {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kWentSecure:
      return "kWentSecure";
    case EventType::kWentInsecure:
      return "kWentInsecure";
    case EventType::kPeerEnded:
      return "kPeerEnded";
    case EventType::kNewFingerprint:
      return "kNewFingerprint";
    case EventType::kUnencryptedReceived:
      return "kUnencryptedReceived";
    case EventType::kEncryptionRequired:
      return "kEncryptionRequired";
    case EventType::kCannotSend:
      return "kCannotSend";
    case EventType::kStoredMessageSent:
      return "kStoredMessageSent";
    case EventType::kUndecryptable:
      return "kUndecryptable";
    case EventType::kErrorReceived:
      return "kErrorReceived";
    case EventType::kV1Refused:
      return "kV1Refused";
    case EventType::kSmpAskSecret:
      return "kSmpAskSecret";
    case EventType::kSmpSucceeded:
      return "kSmpSucceeded";
    case EventType::kSmpFailed:
      return "kSmpFailed";
    case EventType::kSmpAborted:
      return "kSmpAborted";
    case EventType::kSmpCheated:
      return "kSmpCheated";
    case EventType::kExtraSymmetricKey:
      return "kExtraSymmetricKey";
    case EventType::kMalformedMessage:
      return "kMalformedMessage";
    case EventType::kOtherInstance:
      return "kOtherInstance";
    case EventType::kReflected:
      return "kReflected";
    case EventType::kActionFailed:
      return "kActionFailed";
    case EventType::kHeldMessagePending:
      return "kHeldMessagePending";
    case EventType::kHeldMessageExpired:
      return "kHeldMessageExpired";
    case EventType::kInstanceRefused:
      return "kInstanceRefused";
    case EventType::kUnsupportedVersion:
      return "kUnsupportedVersion";
    case EventType::kFellBackToV3:
      return "kFellBackToV3";
    case EventType::kOfflineRefused:
      return "kOfflineRefused";
    case EventType::kCount:
      break;
  }
  return "kUnknownEvent";
}

namespace {

template <size_t... I>
Event::Body DefaultBody(size_t index, std::index_sequence<I...>) {
  Event::Body body;
  ((index == I ? (body.emplace<I>(), 0) : 0), ...);
  return body;
}

}  // namespace

Event Event::OfType(EventType type, wire::InstanceTag peer_instance) {
  Event e(events::MalformedMessage{}, peer_instance);
  e.kind = DefaultBody(static_cast<size_t>(type),
                       std::make_index_sequence<std::variant_size_v<Event::Body>>());
  return e;
}

std::string EventText(const Event& e) {
  if (const auto* secure = e.As<events::WentSecure>()) return secure->fingerprint;
  if (const auto* fresh = e.As<events::NewFingerprint>()) return fresh->fingerprint;
  if (const auto* ask = e.As<events::SmpAskSecret>()) return ask->question.value_or("");
  if (const auto* error = e.As<events::ErrorReceived>()) return error->text;
  if (const auto* failed = e.As<events::ActionFailed>()) return failed->what;
  if (const auto* offline = e.As<events::OfflineRefused>()) return offline->what;
  if (const auto* version = e.As<events::UnsupportedVersion>()) {
    return "OTR version " + std::to_string(version->version);
  }
  if (const auto* fallback = e.As<events::FellBackToV3>()) {
    return "OTR version " + std::to_string(fallback->version) +
           (fallback->peer_showed_v4 ? " although the peer offered version 4" : "");
  }
  return std::string();
}

namespace {

template <typename T>
void AppendList(std::vector<T>& to, std::vector<T>&& from) {
  if (to.empty()) {
    to = std::move(from);
    return;
  }
  for (T& item : from) to.push_back(std::move(item));
}

}  // namespace

void Append(Output& to, Output&& from) {
  AppendList(to.to_send, std::move(from.to_send));
  AppendList(to.display, std::move(from.display));
  AppendList(to.events, std::move(from.events));
  AppendList(to.to_prekey_server, std::move(from.to_prekey_server));
}

}  // namespace otr
