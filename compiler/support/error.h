// Errors the compiler reports to the user: one paragraph naming the file, node or tensor and why.
#pragma once
#include <stdexcept>
#include <string>

namespace mtc {

// Thrown for bad input (model, command line, data files). The driver prints the message and exits 1.
class CompileError : public std::runtime_error {
public:
  explicit CompileError(const std::string &msg) : std::runtime_error(msg) {}
};

// Renders an untrusted name (from a model file) for an error message: quoted, control bytes escaped,
// shortened if very long.
std::string quote_name(const std::string &name);

// The phrase of every error about an input that must be known at compile time (a shape, weights,
// quantization parameters); the ONNX conformance runner retries such tests with those inputs bound.
inline constexpr const char kNeedsConstant[] = "microtc needs it to be a constant";

}  // namespace mtc
