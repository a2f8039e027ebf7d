// A fresh directory under TEST_TMPDIR for one test, and small file helpers.
#ifndef OTR_TESTS_TOOLS_TEST_DIR_H_
#define OTR_TESTS_TOOLS_TEST_DIR_H_

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace otr::tools::testing {

inline std::string MakeTestDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/otrtoolsXXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void Spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline int ModeOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// A FILE* that discards what the command prints.
inline std::FILE* Null() {
  static std::FILE* null = std::fopen("/dev/null", "w");
  return null;
}

}  // namespace otr::tools::testing

#endif  // OTR_TESTS_TOOLS_TEST_DIR_H_
