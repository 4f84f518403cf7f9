// PyTorch-made feature extractors (tests/fixtures/models, made by make_models.py): both engines
// must reproduce PyTorch's outputs within 1e-4 relative, also under ASan/UBSan, and the passes
// must have simplified the graph as intended.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"
#include "memory/planner.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;

namespace {

const char *kModels[] = {"resnet_small", "kws_dscnn", "mbv2_tiny", "fc_autoencoder", "concat_se_hswish"};
constexpr double kTolerance = 1e-4;

struct Fixture {
  Graph graph;
  std::vector<std::vector<Value>> batch;
  std::vector<Value> expected;
};

Fixture load_fixture(const std::string &name) {
  std::string base = test::source_path("tests/fixtures/models/" + name);
  LoadOptions lo;
  lo.verify_each = true;
  Fixture f{load_model(base + ".onnx", lo), {}, {}};
  Value x = read_npy(base + ".input.npy"), y = read_npy(base + ".expected.npy");
  const Tensor &in = f.graph.tensor(f.graph.inputs.at(0));
  const Tensor &out = f.graph.tensor(f.graph.outputs.at(0));
  int64_t n_in = shape_elements(in.shape), n_out = shape_elements(out.shape);
  REQUIRE(x.elements() == x.shape[0] * n_in);
  REQUIRE(y.elements() == x.shape[0] * n_out);
  for (int64_t b = 0; b < x.shape[0]; ++b) {
    Value xi(DType::F32, in.shape), yi(DType::F32, out.shape);
    std::memcpy(xi.bytes.data(), x.data<float>() + b * n_in, size_t(n_in) * 4);
    std::memcpy(yi.bytes.data(), y.data<float>() + b * n_out, size_t(n_out) * 4);
    f.batch.push_back({xi});
    f.expected.push_back(yi);
  }
  return f;
}

int count_ops(const Graph &g, const std::string &op) {
  int n = 0;
  for (const Node &node : g.nodes) n += node.op == op;
  return n;
}

}  // namespace

TEST_CASE("fixture models match PyTorch through the reference evaluator", "[models]") {
  for (const char *name : kModels) {
    INFO(name);
    Fixture f = load_fixture(name);
    for (size_t b = 0; b < f.batch.size(); ++b)
      CHECK(test::max_relative_error(evaluate_graph(f.graph, f.batch[b]).at(0), f.expected[b]) < kTolerance);
  }
}

TEST_CASE("fixture models match PyTorch through generated C on the host", "[models]") {
  for (const char *name : kModels) {
    INFO(name);
    Fixture f = load_fixture(name);
    auto out = run_on_host(f.graph, f.batch, {});
    for (size_t b = 0; b < f.batch.size(); ++b) CHECK(test::max_relative_error(out[b].at(0), f.expected[b]) < kTolerance);
  }
}

TEST_CASE("fixture models run clean under AddressSanitizer and UBSan", "[models][sanitize]") {
  for (const char *name : kModels) {
    INFO(name);
    Fixture f = load_fixture(name);
    HostBuildOptions ho;
    ho.sanitize = true;
    ho.optimize = false;
    auto out = run_on_host(f.graph, {f.batch[0]}, ho);
    CHECK(test::max_relative_error(out[0].at(0), f.expected[0]) < kTolerance);
  }
}

TEST_CASE("passes fold BatchNormalization, fuse activations and fold padding", "[models][passes]") {
  Fixture resnet = load_fixture("resnet_small");
  CHECK(count_ops(resnet.graph, "BatchNormalization") == 0);  // all 9 fold into their Conv
  CHECK(count_ops(resnet.graph, "Relu") == 0);                // fused into Conv / Add
  Fixture mbv2 = load_fixture("mbv2_tiny");
  CHECK(count_ops(mbv2.graph, "Clip") == 0);  // ReLU6 fused into Conv
  Fixture kws = load_fixture("kws_dscnn");
  CHECK(count_ops(kws.graph, "Pad") == 0);
  Fixture se = load_fixture("concat_se_hswish");
  CHECK(count_ops(se.graph, "Shape") == 0);  // the Shape/Gather/Concat chain folds into Reshape's target
  CHECK(count_ops(se.graph, "Gather") == 0);
  Fixture ae = load_fixture("fc_autoencoder");
  CHECK(count_ops(ae.graph, "BatchNormalization") == 0);  // folded into Gemm
}

TEST_CASE("memory plans never overlap live buffers and respect the lower bound", "[models][memory]") {
  for (const char *name : kModels) {
    INFO(name);
    Fixture f = load_fixture(name);
    MemoryPlan plan = plan_memory(f.graph);
    CHECK_NOTHROW(check_plan(plan));
    CHECK(plan.arena_size >= plan.lower_bound);
    CHECK(plan.lower_bound > 0);
  }
}

TEST_CASE("microtc run writes PyTorch's outputs as .npy for both engines", "[models][cli]") {
  TempDir tmp;
  std::string base = test::source_path("tests/fixtures/models/kws_dscnn");
  for (const char *engine : {"c", "ref"}) {
    INFO(engine);
    std::string out = tmp.path() + "/y_" + engine + ".npy";
    ProcessResult r = test::run_microtc({"run", base + ".onnx", "--input", base + ".input.npy", "--output", out,
                                         "--engine", engine});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    Value y = read_npy(out), want = read_npy(base + ".expected.npy");
    CHECK(y.shape == want.shape);
    CHECK(test::max_relative_error(y, want) < kTolerance);
  }
}

TEST_CASE("generated C compiles standalone with strict C99 flags", "[models][cli]") {
  TempDir tmp;
  ProcessResult r = test::run_microtc(
      {"compile", test::source_path("tests/fixtures/models/resnet_small.onnx"), "-o", tmp.path(), "--name", "net"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::filesystem::exists(tmp.path() + "/net.h"));
  std::vector<std::string> cmd = {"cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I" + tmp.path()};
  for (const auto &e : std::filesystem::directory_iterator(tmp.path())) {
    if (e.path().extension() != ".c" && e.path().extension() != ".h") continue;
    std::ifstream f(e.path());
    std::stringstream text;
    text << f.rdbuf();
    INFO(e.path());
    for (const char *banned : {"malloc", "free(", "fopen", "printf", "stdio.h", "stdlib.h"})
      CHECK(text.str().find(banned) == std::string::npos);  // no heap, no I/O
    if (e.path().extension() == ".c") cmd.push_back(e.path().string());
  }
  ProcessResult built = run_process(cmd, 120);
  INFO(built.output);
  CHECK(built.exit_code == 0);
}
