// MicroT split candidates (compiler/microt/split_points.cpp): every step after which exactly one
// value is live, checked against a brute-force count of live values, and on a residual network
// where the points inside a block (the skip connection alive) are not candidates.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <set>

#include "driver/load_model.h"
#include "microt/split_points.h"
#include "ops/op.h"
#include "quantized_models.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

// The values live between step s and s + 1, counted directly: non-constant, available by step s
// (a graph input or produced at or before s), and read after s or a graph output.
std::set<TensorId> live_after(const Graph &g, int s) {
  std::set<TensorId> live;
  std::set<TensorId> available(g.inputs.begin(), g.inputs.end());
  for (int i = 0; i <= s; ++i)
    for (TensorId t : g.nodes[size_t(i)].outputs) available.insert(t);
  for (TensorId t : available) {
    if (t == kNoTensor || g.tensor(t).is_constant()) continue;
    bool read_later = g.is_graph_output(t);
    for (size_t i = size_t(s) + 1; i < g.nodes.size(); ++i)
      for (TensorId u : g.nodes[i].inputs) read_later = read_later || u == t;
    if (read_later) live.insert(t);
  }
  return live;
}

// x -> conv a (relu) -> conv b; b + a -> conv c (relu) -> global pool -> flatten -> gemm
std::string residual_chain() {
  onnx::ModelProto m = empty_onnx_model("chain");
  auto *g = m.mutable_graph();
  add_float_input(g, "x", {1, 4, 8, 8});
  auto conv = [&](const std::string &x, const std::string &y) {
    add_initializer(g, y + ".w", {4, 4, 3, 3}, std::vector<float>(144, 0.05f));
    add_ints(add_node(g, "Conv", {x, y + ".w"}, y), "pads", {1, 1, 1, 1});
  };
  conv("x", "a");
  add_node(g, "Relu", {"a"}, "ra");
  conv("ra", "b");
  add_node(g, "Add", {"b", "ra"}, "s");
  conv("s", "c");
  add_node(g, "Relu", {"c"}, "rc");
  add_node(g, "GlobalAveragePool", {"rc"}, "p");
  add_node(g, "Flatten", {"p"}, "f");
  add_initializer(g, "fc.w", {4, 3}, std::vector<float>(12, 0.1f));
  add_node(g, "MatMul", {"f", "fc.w"}, "y");
  add_float_output(g, "y");
  return m.SerializeAsString();
}

std::set<std::string> split_names(const Graph &g) {
  std::set<std::string> names;
  for (const SplitCandidate &c : split_candidates(g)) names.insert(g.tensor(c.tensor).name);
  return names;
}

void check_against_brute_force(const Graph &g) {
  const std::vector<SplitCandidate> cands = split_candidates(g);
  std::set<int> steps;
  for (const SplitCandidate &c : cands) {
    INFO("step " << c.step);
    const std::set<TensorId> live = live_after(g, c.step);
    REQUIRE(live.size() == 1);
    CHECK(*live.begin() == c.tensor);
    CHECK(c.part_macs > 0);
    CHECK(c.part_macs < c.total_macs);
    steps.insert(c.step);
  }
  // and nothing missed: every other step has several live values, or its one value is a graph
  // output, or no multiply-accumulates come before or after it
  for (int s = 0; s + 1 < int(g.nodes.size()); ++s) {
    if (steps.count(s)) continue;
    const std::set<TensorId> live = live_after(g, s);
    INFO("step " << s << " (" << g.nodes[size_t(s)].op << "), " << live.size() << " live");
    int64_t macs_before = 0, macs_after = 0;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const OpDef *def = OpRegistry::instance().find(g.nodes[i].op);
      if (def && def->macs) (int(i) <= s ? macs_before : macs_after) += def->macs(g, g.nodes[i]);
    }
    CHECK((live.size() != 1 || g.is_graph_output(*live.begin()) || macs_before == 0 || macs_after == 0));
  }
}

}  // namespace

TEST_CASE("MicroT split candidates are the steps where one value is live", "[microt]") {
  SECTION("a residual chain, float and int8") {
    Graph g = load_bytes(residual_chain());
    const std::set<std::string> names = split_names(g);
    // inside the block (b computed, ra still needed by the Add) is no candidate
    CHECK(names.count("b") == 0);
    CHECK(names.count("ra") == 1);  // the block's input (Relu fused into conv a: its output)
    CHECK(names.count("s") == 1);   // after the residual Add
    check_against_brute_force(g);

    SweepModel q = quantize_model(residual_chain(), 5);
    CHECK(!split_candidates(q.graph).empty());
    check_against_brute_force(q.graph);
  }
  SECTION("the fixture ResNet and DS-CNN") {
    for (const char *name : {"resnet_small", "kws_dscnn", "mbv2_tiny"}) {
      INFO(name);
      Graph g = load_model(source_path(std::string("tests/fixtures/models/") + name + ".onnx"), {});
      CHECK(!split_candidates(g).empty());
      check_against_brute_force(g);
    }
  }
}
