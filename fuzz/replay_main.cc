// A main() for fuzz targets outside libFuzzer: feeds each file named on the
// command line (or each file in a named directory) to LLVMFuzzerTestOneInput
// once. Used by the *_corpus_test targets so corpora replay on `bazel test`.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path path(argv[i]);
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) {
          if (!RunFile(entry.path())) return 1;
          ++count;
        }
      }
    } else {
      if (!RunFile(path)) return 1;
      ++count;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  // A corpus test that replays nothing checks nothing.
  return count == 0 ? 1 : 0;
}
