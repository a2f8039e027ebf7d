// `otr readforge <aes-key-hex> [new-text] < message`: decrypts a Data
// Message with its AES key and prints the payload; with new text, replaces
// the payload (any length), re-MACs with SHA-1(AES key) and prints the
// forged message. libotr's otr_readforge. Exit status 3 (after the output)
// when the message's MAC does not verify under SHA-1(AES key): the key is
// not this message's, or the message was changed.
//
// An OTRv4 message (otrv4.md "Forging Transcripts", "Read and Forge Data
// Message") takes its message key MKenc (64 bytes), or with --chain-key the
// chain key it is derived from; it is decrypted with ChaCha20 and a forgery
// re-MACed under MKmac = KDF(usage_MAC_key || MKenc, 64). Exit status 3 when
// the Authenticator does not verify under that MKmac.
#include <cstdio>

#include "crypto/backends.h"
#include "protocol/v3/tlv.h"
#include "protocol/v4/ratchet/derive.h"
#include "tools/args.h"
#include "tools/cmd_parse_v4.h"
#include "tools/command.h"
#include "tools/forgery.h"
#include "tools/forgery_v4.h"
#include "tools/terminal_text.h"
#include "tools/toolkit_cli.h"

namespace otr::tools {
namespace {

constexpr ToolUsage kUsage{
    "readforge",
    "usage: otr readforge <aes-key-hex> [new-text] < data-message            (v3)\n"
    "       otr readforge <message-key-hex> [new-text] < data-message        (v4)\n"
    "       otr readforge --chain-key <chain-key-hex> [new-text] < data-message (v4)\n"
    "exit status 3: the MAC does not verify under the key's MAC key\n"};
constexpr int kExitMacMismatch = 3;

int MacMismatch() {
  std::fflush(stdout);
  std::fprintf(stderr,
               "otr readforge: the MAC does not verify under the MAC key of the key given: the "
               "key is not this message's, or the message was changed\n");
  return kExitMacMismatch;
}

int ReadForgeV3(const crypto::SecretBytes& key, const std::optional<std::string>& new_text,
                v3::DataMessage& message) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  auto payload = DecryptPayload(backend, key, message);
  if (!payload.ok())
    return Failed(kUsage, "cannot decrypt: " + std::string(payload.error().context));
  auto decoded = v3::DecodeDataPayload(*payload);
  std::printf("payload hex:   %s\n", Hex(*payload).c_str());
  if (decoded.ok()) {
    const std::string text(reinterpret_cast<const char*>(decoded->message.data()),
                           decoded->message.size());
    std::printf("message:       %s\n", ForTerminal(text).c_str());
    for (const v3::TlvRecord& tlv : decoded->tlvs) {
      std::printf("TLV type %u:   %s\n", tlv.type, Hex(tlv.value).c_str());
    }
  } else {
    std::printf("message:       (the payload is not a message and TLVs: %s)\n",
                ForTerminal(decoded.error().context).c_str());
  }
  const bool verifies = Authenticates(backend, MacKeyFromAesKey(backend, key).view(), message);
  std::printf("MAC verifies:  %s\n", verifies ? "yes" : "no");
  if (new_text) {
    if (!ReplacePayload(backend, key, AsBytes(*new_text), message).ok()) {
      return Failed(kUsage, "cannot encrypt the new text");
    }
    Remac(backend, MacKeyFromAesKey(backend, key).view(), message);
    std::printf("forged:\n%s\n", EncodeArmoredDataMessage(message).c_str());
  }
  return verifies ? 0 : MacMismatch();
}

int ReadForgeV4(const crypto::SecretBytes& mk_enc, const std::optional<std::string>& new_text,
                v4::DataMessage& message) {
  const crypto::Backend& backend = crypto::DefaultBackend();
  auto payload = DecryptPayload(backend, mk_enc, message);
  if (!payload.ok())
    return Failed(kUsage, "cannot decrypt: " + std::string(payload.error().context));
  std::printf("payload hex:   %s\n", Hex(*payload).c_str());
  PrintV4Payload(*payload);
  const crypto::SecretBytes mk_mac = MacKeyFromMessageKey(backend, mk_enc);
  const bool verifies = Authenticates(backend, mk_mac.view(), message);
  std::printf("MAC verifies:  %s\n", verifies ? "yes" : "no");
  if (new_text) {
    if (!ReplacePayload(backend, mk_enc, AsBytes(*new_text), message).ok()) {
      return Failed(kUsage, "cannot encrypt the new text");
    }
    Remac(backend, mk_mac.view(), message);
    std::printf("forged:\n%s\n", EncodeArmoredV4Message(message).c_str());
  }
  return verifies ? 0 : MacMismatch();
}

int Run(const std::vector<std::string>& args_in) {
  if (WantsHelp(args_in)) return PrintHelp(kUsage);
  std::vector<std::string> args = args_in;
  const bool chain = !args.empty() && args[0] == "--chain-key";
  if (chain) args.erase(args.begin());
  if (args.empty() || args.size() > 2) return UsageError(kUsage, "one or two arguments are needed");
  // The arguments are checked before stdin is read.
  const char* name = chain ? "<chain-key-hex>" : "<aes-key-hex>";
  auto key = HexArgument(name, args[0], chain ? v4::ratchet::kChainKeySize : 0);
  if (!key.ok()) return UsageError(kUsage, key.error());
  if (key->size() != crypto::kAes128KeySize && key->size() != v4::ratchet::kMessageKeySize) {
    return UsageError(kUsage, std::string(name) +
                                  " must be 32 hex digits (16 bytes, a v3 AES "
                                  "key) or 128 (64 bytes, a v4 key), got " +
                                  std::to_string(key->size() * 2));
  }
  std::optional<std::string> new_text;
  if (args.size() == 2) new_text = args[1];
  auto message = AnyDataMessageFromText(ReadAllStdin());
  if (!message.ok()) return Failed(kUsage, message.error());
  const crypto::SecretBytes secret(*key);
  if (auto* v4m = std::get_if<v4::DataMessage>(&*message)) {
    if (key->size() != v4::ratchet::kMessageKeySize) {
      return Failed(kUsage, "the message is OTRv4: give its 64-byte message key (or chain key)");
    }
    const crypto::SecretBytes mk_enc =
        chain ? MessageKeyFromChainKey(crypto::DefaultBackend(), secret) : secret;
    return ReadForgeV4(mk_enc, new_text, *v4m);
  }
  if (chain || key->size() != crypto::kAes128KeySize) {
    return Failed(kUsage, "the message is OTR v2/v3: give its 16-byte AES key");
  }
  return ReadForgeV3(secret, new_text, std::get<v3::DataMessage>(*message));
}

}  // namespace
OTR_REGISTER_COMMAND(readforge,
                     {"readforge", "decrypt a Data Message with its key; forge new text", &Run});
}  // namespace otr::tools
