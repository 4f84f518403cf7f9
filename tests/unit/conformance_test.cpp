// ONNX node tests (libonnx-testdata) for every operator microtc registers, through both engines.
// Split into shards so `ctest -j` runs them in parallel.
#include <catch2/catch.hpp>

#include <set>

#include "conformance/node_test_runner.h"

using namespace mtc;

namespace {

constexpr int kShards = 4;

void run_shard(int shard) {
  std::vector<std::string> tests = list_node_tests(node_test_root());
  REQUIRE(tests.size() > 500);  // the package is installed by scripts/setup.sh
  std::vector<ExpectedFailure> xfail = load_expected_failures(MTC_SOURCE_DIR "/tests/conformance/expected_failures.txt");
  std::set<std::string> expected;
  for (const auto &e : xfail) {
    INFO("expected failure without a reason: " << e.name);
    CHECK(!e.reason.empty());
    expected.insert(e.name);
  }
  int passed = 0, failed_as_expected = 0, not_claimed = 0;
  for (size_t i = size_t(shard); i < tests.size(); i += kShards) {
    NodeTestResult r = run_node_test(tests[i], {});
    bool listed = expected.count(r.name) != 0;
    if (r.status == NodeTestStatus::NotClaimed) {
      ++not_claimed;
      INFO(r.name << " is listed as an expected failure but is not claimed: " << r.detail);
      CHECK(!listed);
      continue;
    }
    if (r.status == NodeTestStatus::Passed) {
      ++passed;
      INFO(r.name << " passes: remove it from expected_failures.txt");
      CHECK(!listed);
    } else {
      INFO(r.name << " failed: " << r.detail);
      CHECK(listed);
      failed_as_expected += listed;
    }
  }
  WARN("shard " << shard << ": " << passed << " passed, " << failed_as_expected << " expected failures, "
                << not_claimed << " not claimed");
  CHECK(passed > 0);
}

}  // namespace

TEST_CASE("onnx node tests shard 0", "[conformance]") { run_shard(0); }
TEST_CASE("onnx node tests shard 1", "[conformance]") { run_shard(1); }
TEST_CASE("onnx node tests shard 2", "[conformance]") { run_shard(2); }
TEST_CASE("onnx node tests shard 3", "[conformance]") { run_shard(3); }
