// A libotr 4.1.1 user (OtrlUserState) driven through libotr's public C API,
// as a peer for our Session in interoperability tests: strings in, strings
// out, with the callbacks' observations recorded.
#ifndef OTR_TESTS_INTEROP_LIBOTR_PEER_H_
#define OTR_TESTS_INTEROP_LIBOTR_PEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace otr::testing {

class LibotrPeer {
 public:
  enum class Policy { kAlways, kManual, kOpportunistic, kV2Only };

  // `account` is libotr's own name; `buddy` is the peer's name. Generates a
  // 1024-bit DSA key and an instance tag through libotr.
  LibotrPeer(std::string account, std::string buddy, Policy policy, int max_message_size = 0);
  ~LibotrPeer();
  LibotrPeer(const LibotrPeer&) = delete;
  LibotrPeer& operator=(const LibotrPeer&) = delete;

  // What the user types; returns the transport messages to send.
  std::vector<std::string> Send(const std::string& text);
  // A transport message from the buddy; returns transport messages libotr
  // wants sent back. Displayed text is appended to displayed().
  std::vector<std::string> Receive(const std::string& text);

  std::vector<std::string> StartSmp(const std::string& secret, const std::string& question = "");
  std::vector<std::string> AbortSmp();
  std::vector<std::string> Disconnect();
  // otrl_message_symkey: sends TLV 8 and returns libotr's key in `key`.
  std::vector<std::string> UseSymmetricKey(unsigned int use, const std::string& use_data,
                                           std::string* key);

  // libotr's instance tag for this account.
  uint32_t our_instance_tag() const;
  // The key and use libotr reported through received_symkey, if any.
  const std::string& received_symkey() const { return received_symkey_; }
  unsigned int received_symkey_use() const { return received_symkey_use_; }
  const std::string& received_symkey_data() const { return received_symkey_data_; }
  int smp_aborts() const { return smp_aborts_; }

  bool encrypted() const;
  bool finished() const;
  int protocol_version() const;
  std::string their_fingerprint_hex() const;  // 40 hex digits, or empty
  std::string ssid_hex() const;

  // The D-H state of the current context (libotr's context_priv), so a
  // test can forge a Data Message with the keys this receiver will use
  // (issue 7). Values are big-endian hex; empty when absent.
  struct DhState {
    unsigned int our_keyid = 0;  // ours: key our_keyid and our_keyid - 1
    std::string our_private, our_public, our_old_private, our_old_public;
    unsigned int their_keyid = 0;  // theirs: their_keyid and their_keyid - 1
    std::string their_public, their_old_public;
    // sesskeys[i][j].rcvmackey: our key our_keyid - i, theirs their_keyid - j.
    std::string receiving_mac_key[2][2];
  };
  DhState dh_state() const;

  const std::vector<std::string>& displayed() const { return displayed_; }
  int smp_successes() const { return smp_successes_; }
  int smp_failures() const { return smp_failures_; }
  std::string last_smp_question() const { return last_question_; }
  // The secret libotr answers an SMP request with.
  void set_smp_answer(std::string answer) { smp_answer_ = std::move(answer); }

  struct State;  // libotr handles and callbacks (libotr_peer.cc)

 private:
  std::unique_ptr<State> state_;
  std::vector<std::string> displayed_;
  int smp_successes_ = 0;
  int smp_failures_ = 0;
  std::string last_question_;
  std::string smp_answer_;
  int smp_aborts_ = 0;
  std::string received_symkey_;
  unsigned int received_symkey_use_ = 0;
  std::string received_symkey_data_;
};

}  // namespace otr::testing

#endif  // OTR_TESTS_INTEROP_LIBOTR_PEER_H_
