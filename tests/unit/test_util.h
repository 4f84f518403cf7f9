// Helpers shared by the tests: running the microtc binary, fixture paths, value comparison.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <onnx/onnx_pb.h>

#include "codegen/c_emitter.h"
#include "ir/value.h"
#include "support/process.h"

namespace mtc::test {

inline std::string source_path(const std::string &rel) { return std::string(MTC_SOURCE_DIR) + "/" + rel; }

// Runs `microtc ARGS...`; stdout and stderr together in .output.
inline ProcessResult run_microtc(std::vector<std::string> args, int timeout = 300) {
  args.insert(args.begin(), MTC_MICROTC_EXE);
  return run_process(args, timeout);
}

// Largest |got - want| / max(|want|, floor, 5% of max|want|) over all elements: relative error,
// except that values cancelling to near zero (float32 summation noise) are judged against 5% of
// the tensor's scale.
// Loads an ONNX model given as serialized bytes (verifying the IR after every pass) and runs one
// set of inputs through the reference evaluator and through generated C on the host (-O0 build):
// {evaluator outputs, C outputs}.
std::pair<std::vector<Value>, std::vector<Value>> run_both_engines(const std::string &model_bytes,
                                                                   const std::vector<Value> &inputs);

// An ONNX model with no nodes yet: IR version 8, the default domain at `opset`, graph `graph_name`.
onnx::ModelProto empty_onnx_model(const std::string &graph_name, int opset = 13);

double max_relative_error(const Value &got, const Value &want, double floor = 1e-6);

// Builds a host C program with the flags generated C promises to be clean under (C99, -Wall
// -Wextra -Werror -pedantic) and without float contraction (results bit-equal to the evaluator's):
// -O2, or ASan/UBSan at -O0; links libm. `sources`: .c files; `include_dirs`: -I directories.
ProcessResult build_host_program(const std::string &program, const std::vector<std::string> &sources,
                                 const std::vector<std::string> &include_dirs, bool sanitize = false);

// The .c files of the bundle `b` written into `dir`: NAME.c and its runtime kernels.
std::vector<std::string> bundle_c_files(const CBundle &b, const std::string &dir);

}  // namespace mtc::test
