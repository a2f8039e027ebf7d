// Writes the published OTRv4 vector files again with every output computed
// by our code (compute.h) on one backend, in the same schema, for
// check_cpp_output.py to recompute with the Python reference (README.md,
// "How they are checked"). Outputs our code does not compute are left out
// and listed on stdout ("omitted ..."); check them with --partial. With
// --wycheproof, also writes wycheproof_ed448_points.json: Wycheproof's Ed448
// public keys and signature R values through our point decoder.
//
//   emit_cpp_vectors --backend openssl|gcrypt --out DIR [--wycheproof ed448_test.json]
//                    FILE.json...
//
// Exit status 0 when every vector was computed, 1 otherwise, 2 on usage.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "crypto/backends.h"
#include "tests/vectors/otrv4/compute.h"
#include "tests/vectors/otrv4/compute_internal.h"
#include "tests/vectors/otrv4/vector_io.h"

namespace otr::v4::vectors {
namespace {

int Usage() {
  std::cerr << "usage: emit_cpp_vectors --backend NAME --out DIR [--wycheproof FILE] "
               "FILE.json...\n";
  return 2;
}

int Main(int argc, char** argv) {
  std::string backend_name;
  std::string out_dir;
  std::string wycheproof;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--backend" && i + 1 < argc) {
      backend_name = argv[++i];
    } else if (arg == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (arg == "--wycheproof" && i + 1 < argc) {
      wycheproof = argv[++i];
    } else if (arg.starts_with("--")) {
      return Usage();
    } else {
      files.push_back(arg);
    }
  }
  if (backend_name.empty() || out_dir.empty() || files.empty()) return Usage();
  Result<const crypto::Backend*> backend = crypto::FindBackend(backend_name);
  if (!backend.ok()) {
    std::cerr << "no backend " << backend_name << "\n";
    return 2;
  }
  std::filesystem::create_directories(out_dir);
  int failures = 0;
  int vectors = 0;
  for (const std::string& path : files) {
    Json doc;
    try {
      doc = LoadJsonFile(path);
    } catch (const VectorError& e) {
      std::cerr << e.what() << "\n";
      return 1;
    }
    const std::string name = std::filesystem::path(path).filename().string();
    doc["generator"] = "tests/vectors/otrv4/emit_cpp_vectors.cc (backend " + backend_name + ")";
    for (size_t n = 0; n < doc["vectors"].size(); ++n) {
      Json& v = doc["vectors"][n];
      const Computed computed = Compute(**backend, v);
      if (!computed.error.empty()) {
        std::cerr << name << " #" << n << " " << v.value("name", "") << ": " << computed.error
                  << "\n";
        ++failures;
      }
      for (const auto& [key, reason] : computed.omitted) {
        std::cout << "omitted " << name << " #" << n << " " << key << ": " << reason << "\n";
      }
      v["output"] = computed.output;
      ++vectors;
    }
    std::ofstream out(out_dir + "/" + name);
    out << doc.dump(1) << "\n";
    if (!out) {
      std::cerr << "cannot write " << out_dir << "/" << name << "\n";
      return 1;
    }
  }
  if (!wycheproof.empty()) {
    try {
      const Json doc = WycheproofPointVectors(**backend, LoadJsonFile(wycheproof));
      std::ofstream out(out_dir + "/" + kWycheproofPointsFile);
      out << doc.dump(1) << "\n";
      if (!out) throw VectorError("cannot write " + std::string(kWycheproofPointsFile));
      std::cout << backend_name << ": " << doc["vectors"].size()
                << " Wycheproof Ed448 keys and R values decoded\n";
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      return 1;
    }
  }
  std::cout << backend_name << ": " << vectors << " vectors in " << files.size() << " files, "
            << failures << " not computed\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace otr::v4::vectors

int main(int argc, char** argv) { return otr::v4::vectors::Main(argc, argv); }
