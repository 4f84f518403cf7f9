// Runs one ONNX node test (model.onnx + test_data_set_*/input_N.pb, output_N.pb) through the
// reference evaluator and through generated C built for the host.
#pragma once
#include <string>
#include <vector>

namespace mtc {

enum class NodeTestStatus { NotClaimed, Passed, Failed };

struct NodeTestResult {
  std::string name;
  NodeTestStatus status = NodeTestStatus::NotClaimed;
  std::string detail;  // why not claimed, or what failed
  bool frozen_inputs = false;  // passed only with some inputs (shape-determining, weights) bound as constants
};

struct NodeTestOptions {
  bool run_c = true;    // also build and run the generated C
  bool sanitize = false;
};

// Default location of the node tests (Debian's libonnx-testdata).
std::string node_test_root();
std::vector<std::string> list_node_tests(const std::string &root);
NodeTestResult run_node_test(const std::string &dir, const NodeTestOptions &opts);

// Expected failures: "test_name  reason" lines from tests/conformance/expected_failures.txt.
struct ExpectedFailure {
  std::string name, reason;
};
std::vector<ExpectedFailure> load_expected_failures(const std::string &path);

}  // namespace mtc
