// Prints the ONNX node-test results: one line per claimed test and the totals.
// Usage: mtc_conformance [--no-c] [--all] [filter-substring]
#include <cstring>
#include <iostream>
#include <map>
#include <set>

#include "node_test_runner.h"

using namespace mtc;

int main(int argc, char **argv) {
  NodeTestOptions opts;
  bool show_all = false;
  std::string filter;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--no-c")) opts.run_c = false;
    else if (!std::strcmp(argv[i], "--all")) show_all = true;
    else filter = argv[i];
  }
  std::set<std::string> expected;
  for (const auto &e : load_expected_failures(MTC_SOURCE_DIR "/tests/conformance/expected_failures.txt"))
    expected.insert(e.name);
  int passed = 0, frozen = 0, xfail = 0, unexpected = 0, stale = 0, total = 0;
  std::map<std::string, int> unclaimed;
  for (const std::string &dir : list_node_tests(node_test_root())) {
    if (!filter.empty() && dir.find(filter) == std::string::npos) continue;
    ++total;
    NodeTestResult r = run_node_test(dir, opts);
    bool listed = expected.count(r.name) != 0;
    if (r.status == NodeTestStatus::NotClaimed) {
      unclaimed[r.detail]++;
      if (show_all) std::cout << "not claimed  " << r.name << ": " << r.detail << "\n";
    } else if (r.status == NodeTestStatus::Passed) {
      ++passed;
      frozen += r.frozen_inputs;
      if (listed) ++stale;
      std::cout << (listed ? "PASS (listed as expected failure!) " : "pass  ") << r.name
                << (r.frozen_inputs ? " (some inputs bound as constants)" : "") << "\n";
    } else {
      (listed ? xfail : unexpected)++;
      std::cout << (listed ? "xfail " : "FAIL  ") << r.name << ": " << r.detail << "\n";
    }
  }
  int claimed = passed + xfail + unexpected;
  std::cout << "\nONNX node tests: " << total << " total, " << claimed << " claimed by microtc's operators; "
            << passed << " passed through both engines" << (opts.run_c ? "" : " (ref engine only)") << " ("
            << frozen << " of them with shape-determining inputs or weights bound as constants), "
            << xfail << " expected failures, " << unexpected << " unexpected failures, " << stale
            << " listed failures that now pass\n";
  int n_unclaimed = 0;
  for (const auto &[why, n] : unclaimed) n_unclaimed += n;
  std::cout << n_unclaimed << " not claimed (unsupported operator or element type)\n";
  return unexpected == 0 && stale == 0 ? 0 : 1;
}
