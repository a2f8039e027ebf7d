#include "tools/key_commands.h"

#include <cstdlib>
#include <string_view>

#include "crypto/backends.h"
#include "crypto/random.h"
#include "protocol/store/fingerprint.h"
#include "tools/args.h"
#include "tools/keystore.h"
#include "tools/keystore_v4.h"
#include "tools/terminal_text.h"

namespace otr::tools {
namespace {

constexpr const char* kUsage[] = {
    // KeyCommand::kKeygen
    "usage: otr keygen --account NAME [--protocol P] [--dir D] [--backend openssl|gcrypt] "
    "[--force] [--no-v4]",
    // kFingerprint
    "usage: otr fingerprint [--account NAME] [--protocol P] [--peer NICK] [--dir D]",
    // kTrust
    "usage: otr trust --peer NICK [--account NAME] [--protocol P] [--trust WORD] [--dir D] "
    "FINGERPRINT (v3: 40 hex digits; v4: 112)",
    // kUntrust
    "usage: otr untrust --peer NICK [--account NAME] [--protocol P] [--dir D] FINGERPRINT",
    // kImport
    "usage: otr import (--pidgin | --irssi | [--keys FILE] [--fingerprints FILE] "
    "[--instance-tags FILE]) [--dir D] [--force]",
};

std::string Joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

// Parses; on failure prints the reason and the usage and returns nullopt.
std::optional<KeyOptions> Parse(KeyCommand command, const std::vector<std::string>& args,
                                std::FILE* err) {
  auto options =
      ParseKeyOptions(command, args, std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
  if (!options.ok()) {
    std::fprintf(err, "otr: %s\n%s\n", ForTerminal(options.error()).c_str(),
                 kUsage[static_cast<int>(command)]);
    return std::nullopt;
  }
  return std::move(options).value();
}

// --help: the usage on `out`, status 0 (tools/args.h).
std::optional<int> Help(KeyCommand command, const std::vector<std::string>& args, std::FILE* out) {
  if (!WantsHelp(args)) return std::nullopt;
  std::fprintf(out, "%s\n", kUsage[static_cast<int>(command)]);
  return 0;
}

int Fail(std::FILE* err, const std::string& message) {
  std::fprintf(err, "otr: %s\n", ForTerminal(message).c_str());
  return 1;
}

std::string Human(const crypto::DsaPublicKey& key) {
  return store::FingerprintToHuman(store::ComputeFingerprint(crypto::DefaultBackend(), key));
}

std::string Plural(int n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

int ChangeTrust(KeyCommand command, const std::vector<std::string>& args, std::FILE* out,
                std::FILE* err) {
  if (auto help = Help(command, args, out)) return *help;
  auto options = Parse(command, args, err);
  if (!options) return kExitUsageError;
  const auto fp = ParseUserFingerprint(*options->fingerprint);
  const auto fp4 = fp ? std::nullopt : ParseUserV4Fingerprint(*options->fingerprint);
  if (!fp && !fp4) {
    return Fail(err, "'" + *options->fingerprint +
                         "' is not a fingerprint (v3: five groups of eight hex digits, or 40; "
                         "v4: fourteen groups of eight, or 112)");
  }
  const StorePaths paths = StorePaths::In(options->dir);
  std::string account = options->account;
  if (account.empty()) {
    auto keys = LoadKeys(paths.private_key);
    if (!keys.ok()) return Fail(err, keys.error());
    auto key = ChooseKey(*keys, "", options->protocol);
    if (!key.ok()) return Fail(err, key.error());
    account = (*key)->account_name;
  }
  const bool trusting = command == KeyCommand::kTrust;
  if (fp4) {
    // v4 trust records: our otr.v4_fingerprints (keystore_v4.h).
    auto v4_entries = LoadV4Fingerprints(options->dir);
    if (!v4_entries.ok()) return Fail(err, v4_entries.error());
    if (!trusting && FindV4Fingerprint(*v4_entries, options->peer, account, options->protocol,
                                       *fp4) == nullptr) {
      return Fail(err, "no such v4 fingerprint for " + options->peer + " in " + options->dir + "/" +
                           std::string(kV4FingerprintFileName));
    }
    const std::string word = trusting ? options->trust_word : "";
    if (SetV4FingerprintTrust(*v4_entries, options->peer, account, options->protocol, *fp4, word)) {
      auto saved = SaveV4Fingerprints(options->dir, *v4_entries);
      if (!saved.ok()) return Fail(err, saved.error());
    }
    std::fprintf(out, "%s v4 %s of %s (account %s, %s)\n", trusting ? "trusted" : "untrusted",
                 store::PeerFingerprintToHuman(*fp4).c_str(), ForTerminal(options->peer).c_str(),
                 ForTerminal(account).c_str(), ForTerminal(options->protocol).c_str());
    return 0;
  }
  auto entries = LoadFingerprints(paths.fingerprints);
  if (!entries.ok()) return Fail(err, entries.error());
  if (!trusting &&
      FindFingerprint(*entries, options->peer, account, options->protocol, *fp) == nullptr) {
    return Fail(err, "no such fingerprint for " + options->peer + " in " + paths.fingerprints);
  }
  const std::string word = trusting ? options->trust_word : "";
  if (SetFingerprintTrust(*entries, options->peer, account, options->protocol, *fp, word)) {
    auto saved = SaveFingerprints(paths.fingerprints, *entries, /*replace=*/true);
    if (!saved.ok()) return Fail(err, saved.error());
  }
  std::fprintf(out, "%s %s of %s (account %s, %s)\n", trusting ? "trusted" : "untrusted",
               store::FingerprintToHuman(*fp).c_str(), ForTerminal(options->peer).c_str(),
               ForTerminal(account).c_str(), ForTerminal(options->protocol).c_str());
  return 0;
}

}  // namespace

Outcome<KeyOptions> ParseKeyOptions(KeyCommand command, const std::vector<std::string>& args,
                                    const char* xdg_config_home, const char* home) {
  OptionSpec spec{{"dir", "account", "protocol"}, {}};
  switch (command) {
    case KeyCommand::kKeygen:
      spec.with_value.insert("backend");
      spec.flags.insert("force");
      spec.flags.insert("no-v4");
      break;
    case KeyCommand::kFingerprint:
      spec.with_value.insert("peer");
      break;
    case KeyCommand::kTrust:
      spec.with_value.insert("trust");
      [[fallthrough]];
    case KeyCommand::kUntrust:
      spec.with_value.insert("peer");
      break;
    case KeyCommand::kImport:
      spec = OptionSpec{{"dir", "keys", "fingerprints", "instance-tags"},
                        {"force", "pidgin", "irssi"}};
      break;
  }
  auto parsed = ParseArgs(args, spec);
  if (!parsed.ok()) return Failure{parsed.error()};
  const ParsedArgs& p = *parsed;
  KeyOptions o;
  if (p.Has("dir")) {
    o.dir = p.Get("dir");
    if (o.dir.empty()) return Failure{"--dir is empty"};
  } else {
    auto dir = DefaultDir(xdg_config_home, home);
    if (!dir) return Failure{"no HOME or XDG_CONFIG_HOME: give --dir"};
    o.dir = *dir;
  }
  o.account = p.Get("account");
  o.protocol = p.Get("protocol", std::string(kDefaultProtocol));
  if (o.protocol.empty()) return Failure{"--protocol is empty"};
  o.protocol_given = p.Has("protocol");
  o.peer = p.Get("peer");
  o.backend = p.Get("backend");
  o.force = p.Flag("force");
  o.v4 = !p.Flag("no-v4");
  const bool takes_positional = command == KeyCommand::kTrust || command == KeyCommand::kUntrust;
  if (!takes_positional && !p.positional.empty()) {
    return Failure{"unexpected argument '" + p.positional.front() + "'"};
  }
  switch (command) {
    case KeyCommand::kKeygen:
      if (o.account.empty()) return Failure{"--account is required"};
      break;
    case KeyCommand::kFingerprint:
      break;
    case KeyCommand::kTrust:
    case KeyCommand::kUntrust:
      if (o.peer.empty()) return Failure{"--peer is required"};
      if (p.positional.empty()) return Failure{"the fingerprint is missing"};
      o.fingerprint = Joined(p.positional);
      o.trust_word = p.Get("trust", std::string(kTrustVerified));
      if (o.trust_word.empty()) return Failure{"--trust is empty (use otr untrust)"};
      break;
    case KeyCommand::kImport: {
      const int sources =
          (p.Flag("pidgin") ? 1 : 0) + (p.Flag("irssi") ? 1 : 0) +
          (p.Has("keys") || p.Has("fingerprints") || p.Has("instance-tags") ? 1 : 0);
      if (sources != 1) {
        return Failure{"choose one of --pidgin, --irssi or --keys/--fingerprints/--instance-tags"};
      }
      const std::string h = home != nullptr ? home : "";
      if ((p.Flag("pidgin") || p.Flag("irssi")) && h.empty()) {
        return Failure{"HOME is not set: give --keys and --fingerprints"};
      }
      if (p.Flag("pidgin")) {
        o.keys_from = h + "/.purple/otr.private_key";
        o.fingerprints_from = h + "/.purple/otr.fingerprints";
        o.instance_tags_from = h + "/.purple/otr.instance_tags";
      } else if (p.Flag("irssi")) {
        o.keys_from = h + "/.irssi/otr/otr.key";
        o.fingerprints_from = h + "/.irssi/otr/otr.fp";
        o.instance_tags_from = h + "/.irssi/otr/otr.instag";
      } else {
        o.keys_from = p.Get("keys");
        o.fingerprints_from = p.Get("fingerprints");
        o.instance_tags_from = p.Get("instance-tags");
      }
      break;
    }
  }
  return o;
}

int RunKeygen(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (auto help = Help(KeyCommand::kKeygen, args, out)) return *help;
  auto options = Parse(KeyCommand::kKeygen, args, err);
  if (!options) return kExitUsageError;
  const crypto::Backend* backend = &crypto::DefaultBackend();
  if (!options->backend.empty()) {
    auto found = crypto::FindBackend(options->backend);
    if (!found.ok()) return Fail(err, "unknown backend '" + options->backend + "'");
    backend = *found;
  }
  const StorePaths paths = StorePaths::In(options->dir);
  auto keys = LoadKeys(paths.private_key);
  if (!keys.ok()) return Fail(err, keys.error());
  if (FindKey(*keys, options->account, options->protocol) != nullptr && !options->force) {
    return Fail(err, "account " + options->account + " (" + options->protocol +
                         ") already has a key in " + paths.private_key +
                         " (use --force to replace it)");
  }
  auto key = backend->GenerateDsaKey();
  if (!key.ok()) return Fail(err, "DSA key generation failed");
  store::PrivateKeyEntry entry{options->account, options->protocol, std::move(key).value()};
  const std::string human = Human(entry.key.pub);
  store::PrivateKeyFile add;
  add.accounts.push_back(std::move(entry));
  MergeKeys(*keys, add, /*replace=*/true);
  auto saved = SaveKeys(paths.private_key, *keys, /*replace=*/true);
  if (!saved.ok()) return Fail(err, saved.error());
  std::fprintf(out, "generated a DSA key for %s (%s) in %s\nfingerprint: %s\n",
               ForTerminal(options->account).c_str(), ForTerminal(options->protocol).c_str(),
               ForTerminal(paths.private_key).c_str(), human.c_str());
  if (!options->v4) return 0;
  // The v4 long-term key and forging key (otrv4.md "Public keys, Shared
  // Prekeys, Forging keys and Fingerprints"); `otr chat` makes the Client
  // Profile once it knows its instance tag.
  auto v4_keys = LoadV4Keys(options->dir);
  if (!v4_keys.ok()) return Fail(err, v4_keys.error());
  crypto::OsRandom random;
  auto made = GenerateV4Key(*backend, random, options->account, options->protocol);
  if (!made.ok()) return Fail(err, made.error());
  if (V4KeyEntry* old = FindV4Key(*v4_keys, options->account, options->protocol)) {
    *old = std::move(made).value();
  } else {
    v4_keys->push_back(std::move(made).value());
  }
  const V4KeyEntry& stored = *FindV4Key(*v4_keys, options->account, options->protocol);
  auto fp4 = V4FingerprintOf(*backend, stored);
  if (!fp4.ok()) return Fail(err, fp4.error());
  auto saved4 = SaveV4Keys(options->dir, *v4_keys);
  if (!saved4.ok()) return Fail(err, saved4.error());
  std::fprintf(out,
               "generated a v4 key (Ed448 long-term and forging keys) in %s/%s\n"
               "v4 fingerprint: %s\n",
               ForTerminal(options->dir).c_str(), std::string(kV4KeyFileName).c_str(),
               store::PeerFingerprintToHuman(*fp4).c_str());
  return 0;
}

int RunFingerprint(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (auto help = Help(KeyCommand::kFingerprint, args, out)) return *help;
  auto options = Parse(KeyCommand::kFingerprint, args, err);
  if (!options) return kExitUsageError;
  const StorePaths paths = StorePaths::In(options->dir);
  auto keys = LoadKeys(paths.private_key);
  if (!keys.ok()) return Fail(err, keys.error());
  auto entries = LoadFingerprints(paths.fingerprints);
  if (!entries.ok()) return Fail(err, entries.error());
  auto wanted = [&](const std::string& account, const std::string& protocol) {
    if (!options->account.empty() && account != options->account) return false;
    return !options->protocol_given || protocol == options->protocol;
  };
  int shown = 0;
  for (const auto& k : keys->accounts) {
    if (!wanted(k.account_name, k.protocol) || !options->peer.empty()) continue;
    // Names from the files are escaped: a file from elsewhere (an import)
    // can hold any bytes.
    std::fprintf(out, "ours\t%s\t%s\t%s\n", ForTerminal(k.account_name).c_str(),
                 ForTerminal(k.protocol).c_str(), Human(k.key.pub).c_str());
    ++shown;
  }
  for (const auto& e : *entries) {
    if (!wanted(e.accountname, e.protocol)) continue;
    if (!options->peer.empty() && e.username != options->peer) continue;
    std::fprintf(out, "peer\t%s\t%s\t%s\t%s\t%s\n", ForTerminal(e.username).c_str(),
                 ForTerminal(e.accountname).c_str(), ForTerminal(e.protocol).c_str(),
                 store::FingerprintToHuman(e.fingerprint).c_str(),
                 e.trust.empty() ? "unverified" : ForTerminal(e.trust).c_str());
    ++shown;
  }
  // v4: our keys and the peers' v4 fingerprints (keystore_v4.h).
  auto v4_keys = LoadV4Keys(options->dir);
  if (!v4_keys.ok()) return Fail(err, v4_keys.error());
  auto v4_entries = LoadV4Fingerprints(options->dir);
  if (!v4_entries.ok()) return Fail(err, v4_entries.error());
  for (const auto& k : *v4_keys) {
    if (!wanted(k.account, k.protocol) || !options->peer.empty()) continue;
    auto fp = V4FingerprintOf(crypto::DefaultBackend(), k);
    if (!fp.ok()) return Fail(err, fp.error());
    std::fprintf(out, "ours-v4\t%s\t%s\t%s\n", ForTerminal(k.account).c_str(),
                 ForTerminal(k.protocol).c_str(), store::PeerFingerprintToHuman(*fp).c_str());
    ++shown;
  }
  for (const auto& e : *v4_entries) {
    if (!wanted(e.account, e.protocol)) continue;
    if (!options->peer.empty() && e.username != options->peer) continue;
    std::fprintf(out, "peer-v4\t%s\t%s\t%s\t%s\t%s\n", ForTerminal(e.username).c_str(),
                 ForTerminal(e.account).c_str(), ForTerminal(e.protocol).c_str(),
                 store::PeerFingerprintToHuman(e.fingerprint).c_str(),
                 e.trust.empty() ? "unverified" : ForTerminal(e.trust).c_str());
    ++shown;
  }
  if (!options->peer.empty() && shown == 0) {
    return Fail(err, "peer " + options->peer + " is unknown: no fingerprint of theirs in " +
                         paths.fingerprints +
                         " (one is recorded when a private conversation "
                         "with them starts, or with otr trust)");
  }
  if (shown == 0) {
    std::fprintf(err, "otr: no keys or fingerprints in %s\n", ForTerminal(paths.dir).c_str());
  }
  return 0;
}

int RunTrust(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  return ChangeTrust(KeyCommand::kTrust, args, out, err);
}

int RunUntrust(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  return ChangeTrust(KeyCommand::kUntrust, args, out, err);
}

int RunImport(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (auto help = Help(KeyCommand::kImport, args, out)) return *help;
  auto options = Parse(KeyCommand::kImport, args, err);
  if (!options) return kExitUsageError;
  const StorePaths paths = StorePaths::In(options->dir);
  // Read everything first: nothing is written unless all of it is good.
  std::optional<store::PrivateKeyFile> new_keys;
  if (!options->keys_from.empty()) {
    auto text = ReadPrivateFile(options->keys_from);
    if (!text.ok()) return Fail(err, text.error());
    if (!text->has_value()) return Fail(err, "no such file: " + options->keys_from);
    auto loaded = LoadKeys(options->keys_from);
    if (!loaded.ok()) return Fail(err, loaded.error());
    new_keys = std::move(loaded).value();
  }
  std::optional<std::vector<store::FingerprintEntry>> new_fps;
  if (!options->fingerprints_from.empty()) {
    auto text = ReadPrivateFile(options->fingerprints_from);
    if (!text.ok()) return Fail(err, text.error());
    // Pidgin and irssi create the fingerprints file only once they met a peer.
    if (text->has_value()) {
      auto loaded = LoadFingerprints(options->fingerprints_from);
      if (!loaded.ok()) return Fail(err, loaded.error());
      new_fps = std::move(loaded).value();
    } else if (options->keys_from.empty()) {
      return Fail(err, "no such file: " + options->fingerprints_from);
    }
  }
  std::optional<std::vector<store::InstagEntry>> new_tags;
  if (!options->instance_tags_from.empty()) {
    auto text = ReadPrivateFile(options->instance_tags_from);
    if (!text.ok()) return Fail(err, text.error());
    // libotr writes the instance-tag file once an account first speaks OTR v3.
    if (text->has_value()) {
      auto loaded = LoadInstags(options->instance_tags_from);
      if (!loaded.ok()) return Fail(err, loaded.error());
      new_tags = std::move(loaded).value();
    } else if (options->keys_from.empty() && options->fingerprints_from.empty()) {
      return Fail(err, "no such file: " + options->instance_tags_from);
    }
  }
  auto keys = LoadKeys(paths.private_key);
  if (!keys.ok()) return Fail(err, keys.error());
  auto fps = LoadFingerprints(paths.fingerprints);
  if (!fps.ok()) return Fail(err, fps.error());
  auto tags = LoadInstags(paths.instance_tags);
  if (!tags.ok()) return Fail(err, tags.error());
  MergeCounts key_counts, fp_counts, tag_counts;
  if (new_keys) key_counts = MergeKeys(*keys, *new_keys, options->force);
  if (new_fps) fp_counts = MergeFingerprints(*fps, *new_fps, options->force);
  if (new_tags) tag_counts = MergeInstags(*tags, *new_tags, options->force);
  if (key_counts.conflicts + fp_counts.conflicts + tag_counts.conflicts > 0) {
    return Fail(err, "nothing imported: " + Plural(key_counts.conflicts, "account") + ", " +
                         Plural(fp_counts.conflicts, "fingerprint") + " and " +
                         Plural(tag_counts.conflicts, "instance tag") + " differ from what is in " +
                         paths.dir + " (use --force to replace them)");
  }
  if (key_counts.added + key_counts.replaced > 0) {
    auto saved = SaveKeys(paths.private_key, *keys, /*replace=*/true);
    if (!saved.ok()) return Fail(err, saved.error());
  }
  if (fp_counts.added + fp_counts.replaced > 0) {
    auto saved = SaveFingerprints(paths.fingerprints, *fps, /*replace=*/true);
    if (!saved.ok()) return Fail(err, saved.error());
  }
  if (tag_counts.added + tag_counts.replaced > 0) {
    auto saved = SaveInstags(paths.instance_tags, *tags, /*replace=*/true);
    if (!saved.ok()) return Fail(err, saved.error());
  }
  std::fprintf(out,
               "imported into %s: keys %d new, %d replaced, %d already there; fingerprints %d "
               "new, %d replaced, %d already there; instance tags %d new, %d replaced, %d "
               "already there\n",
               ForTerminal(paths.dir).c_str(), key_counts.added, key_counts.replaced,
               key_counts.same, fp_counts.added, fp_counts.replaced, fp_counts.same,
               tag_counts.added, tag_counts.replaced, tag_counts.same);
  return 0;
}

}  // namespace otr::tools
