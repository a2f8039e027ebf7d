// Our code (protocol/v4/..., protocol/prekey/..., crypto::Backend) computing
// the outputs of an OTRv4 vector from its inputs, in the schema of the
// published files (README.md, "Schema"): the C++ twin of reference/compute.py.
// vectors_test.cc compares what it computes with the published outputs;
// emit_cpp_vectors.cc writes it out for check_cpp_output.py.
#ifndef OTR_TESTS_VECTORS_OTRV4_COMPUTE_H_
#define OTR_TESTS_VECTORS_OTRV4_COMPUTE_H_

#include <map>
#include <string>

#include "crypto/backend.h"
#include "tests/vectors/otrv4/vector_io.h"

namespace otr::v4::vectors {

struct Computed {
  Json output = Json::object();
  // Output keys our code does not compute, each with the reason (there is
  // no C++ implementation of it yet, or our API has no such input). The
  // test checks that these are exactly the keys missing from `output`.
  std::map<std::string, std::string> omitted;
  // Non-empty when the vector could not be computed (malformed input, or
  // our code failed where the vector expects a result).
  std::string error;
};

// `vector` is one element of a file's "vectors" ({"kind", "input", ...}).
Computed Compute(const crypto::Backend& backend, const Json& vector);

}  // namespace otr::v4::vectors

#endif  // OTR_TESTS_VECTORS_OTRV4_COMPUTE_H_
