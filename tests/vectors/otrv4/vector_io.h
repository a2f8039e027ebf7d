// Reading and writing the OTRv4 vector files (README.md, "Schema") from C++:
// hex in both directions, the big-integer hex of the schema, the files
// themselves. Shared by vectors_test.cc and emit_cpp_vectors.cc.
//
// The helpers throw VectorError on malformed input (bad hex, a missing key,
// a failure of our code where the vector expects none); Compute()
// (compute.h) catches it and reports it as that vector's error, so one bad
// vector never hides the others.
#ifndef OTR_TESTS_VECTORS_OTRV4_VECTOR_IO_H_
#define OTR_TESTS_VECTORS_OTRV4_VECTOR_IO_H_

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"

namespace otr::v4::vectors {

using Json = nlohmann::json;

struct VectorError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Lower-case hex, as the files write bytes.
std::string Hex(ByteView bytes);
// Upper-case hex.
std::string UpperHex(ByteView bytes);
// Bytes from hex of even length (either case).
Bytes FromHex(std::string_view hex);
// The schema's big integers: hex of the big-endian value without leading
// zeros, "" for zero, possibly of odd length. Returns the minimal bytes.
Bytes BigFromHex(std::string_view hex);
// The other way: minimal big-endian bytes as "%x" writes the integer (no
// leading zero nibble; "" for zero).
std::string BigHex(ByteView big_endian);

// The hex string at `key` of `object`, as bytes (VectorError if absent).
Bytes HexField(const Json& object, const char* key);
std::string StringField(const Json& object, const char* key);

// The value of a Result, or VectorError naming `what` and the error code.
template <typename T>
T Take(Result<T> result, const char* what);
void Check(const Status& status, const char* what);

// A vector file: parsed, or VectorError.
Json LoadJsonFile(const std::string& path);
// A file of the workspace ("tests/vectors/...") from the test's runfiles.
Json LoadRunfile(const std::string& relative);
// A file of this package (tests/vectors/otrv4/NAME).
Json LoadPublishedFile(const std::string& name);

// The thirteen published files, in the order of README.md's table.
const std::vector<std::string>& PublishedFileNames();

// --- template definitions ---
[[noreturn]] void ThrowError(const char* what, const Error& error);

template <typename T>
T Take(Result<T> result, const char* what) {
  if (!result.ok()) ThrowError(what, result.error());
  return std::move(result).value();
}

}  // namespace otr::v4::vectors

#endif  // OTR_TESTS_VECTORS_OTRV4_VECTOR_IO_H_
