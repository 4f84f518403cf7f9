// Residual Adds fused into the int8 convolution producing an operand (passes/fuse_residual_add.cpp):
// which pairs fuse, that the fused graph computes the same bytes as the unfused one in the
// evaluator, that every engine agrees with it (including a block whose Add reads the
// convolution's own input, which must not be overwritten in place), and that the arena shrinks.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <random>

#include "codegen/c_emitter.h"
#include "eval/evaluator.h"
#include "memory/planner.h"
#include "passes/fuse_residual_add.h"
#include "passes/pass.h"
#include "quant/qbinary_params.h"
#include "quantized_models.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

constexpr int64_t kC = 8;

struct Builder {
  onnx::ModelProto m = empty_onnx_model("residual");
  onnx::GraphProto *g = m.mutable_graph();
  std::mt19937 rng{5};

  std::vector<float> random(size_t n, float scale) {
    std::normal_distribution<float> d(0.f, scale);
    std::vector<float> v(n);
    for (float &f : v) f = d(rng);
    return v;
  }
  onnx::NodeProto *node(const std::string &op, const std::string &name, std::vector<std::string> in,
                        const std::string &out) {
    auto *n = add_node(g, op, in, out);
    n->set_name(name);
    return n;
  }
  // 3x3 (pad 1) or 1x1 convolution of kC channels, group 1 or depthwise.
  void conv(const std::string &name, const std::string &x, const std::string &y, int64_t k, bool depthwise = false) {
    const Shape w = {kC, depthwise ? 1 : kC, k, k};
    add_initializer(g, name + ".w", w, random(size_t(shape_elements(w)), 0.3f));
    add_initializer(g, name + ".b", {kC}, random(size_t(kC), 0.2f));
    auto *n = node("Conv", name, {x, name + ".w", name + ".b"}, y);
    add_ints(n, "kernel_shape", {k, k});
    if (k == 3) add_ints(n, "pads", {1, 1, 1, 1});
    if (depthwise) add_int(n, "group", kC);
  }
  void output(const std::string &name) {
    auto *o = g->add_output();
    o->set_name(name);
    o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }
};

// x -> [conv, relu, conv] + x -> relu = o1          fuses (the other operand is the graph input)
// o1 -> conv; o1 + that (convolution second)  = a2  fuses (the Add reads the convolution's input)
// a2 -> 1x1 conv c4, also a graph output; c4 + a2   does not fuse (two readers)
// a2 -> 1x1 conv c5; c5 + per-channel constant       does not fuse (broadcast)
// a2 -> depthwise d6; d6 + a2                         does not fuse (not the panel kernel)
std::string residual_model(int64_t h = 10, int64_t w = 10) {
  Builder b;
  auto *in = b.g->add_input();
  in->set_name("x");
  auto *tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {int64_t(1), kC, h, w}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  b.conv("c1", "x", "c1", 3);
  b.node("Relu", "r1", {"c1"}, "r1");
  b.conv("c2", "r1", "c2", 3);
  b.node("Add", "a1", {"c2", "x"}, "a1");
  b.node("Relu", "o1", {"a1"}, "o1");
  b.conv("c3", "o1", "c3", 3);
  b.node("Add", "a2", {"o1", "c3"}, "a2");
  b.conv("c4", "a2", "c4", 1);
  b.node("Add", "a4", {"c4", "a2"}, "a4");
  b.conv("c5", "a2", "c5", 1);
  add_initializer(b.g, "k5", {1, kC, 1, 1}, b.random(size_t(kC), 1.f));
  b.node("Add", "a5", {"c5", "k5"}, "a5");
  b.conv("d6", "a2", "d6", 3, true);
  b.node("Add", "a6", {"d6", "a2"}, "a6");
  for (const char *o : {"c4", "a4", "a5", "a6"}) b.output(o);
  return b.m.SerializeAsString();
}

int count(const Graph &g, const std::string &op, size_t inputs = 0) {
  int c = 0;
  for (const Node &n : g.nodes) c += n.op == op && (inputs == 0 || n.inputs.size() == inputs);
  return c;
}

}  // namespace

TEST_CASE("residual Adds fuse into the convolution that produces an operand, with the same bytes",
          "[int8][fusion]") {
  const std::string bytes = residual_model();
  SweepModel fused = quantize_model(bytes, 11);
  REQUIRE(fused.report.float_nodes.empty());
  // a1 and a2 fused; a4 (two readers), a5 (broadcast), a6 (depthwise) stay
  CHECK(count(fused.graph, "QConv", 4) == 2);
  CHECK(count(fused.graph, "QAdd") == 3);
  // the fused Adds keep microtc's one-rounding mode
  for (const Node &n : fused.graph.nodes)
    if (n.op == "QConv" && n.inputs.size() == 4) {
      CHECK(n.attrs.get_int("add_requant", -1) == 2);
      QuantParams conv_out;
      QBinaryParams add;
      REQUIRE(fused_residual(fused.graph, n, conv_out, add));
      CHECK(add.sum_shift > 0);
    }

  // The same quantization without the fusion: the evaluator gives the same bytes on every output.
  QuantizeOptions qo;
  qo.fuse_residual_adds = false;
  const Graph unfused = quantize_model(bytes, 11, qo).graph;
  REQUIRE(count(unfused, "QAdd") == 5);
  REQUIRE(count(unfused, "QConv", 4) == 0);
  for (const auto &item : fused.batch) {
    const std::vector<Value> want = evaluate_graph(unfused, item), got = evaluate_graph(fused.graph, item);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      INFO("output " << i);
      CHECK(got[i].bytes == want[i].bytes);
    }
  }
  // The pass on the unfused graph makes the same fusions.
  Graph again = unfused;
  CHECK(fuse_residual_adds(again) == 2);
  verify_graph(again);

  // The convolutions' own results are no longer stored: fewer buffers, never more memory.
  const MemoryPlan pf = plan_memory(fused.graph), pu = plan_memory(unfused);
  CHECK(pf.buffers.size() < pu.buffers.size());
  CHECK(pf.lower_bound <= pu.lower_bound);
  CHECK(pf.arena_size <= pu.arena_size);

  // Every engine agrees with the evaluator byte for byte (a2 reads its convolution's input: an
  // in-place Add over it would change the results).
  check_engines_match_evaluator(fused);
}

TEST_CASE("fused residual layers whose planes end in 1-3 positions are bit-exact on every engine",
          "[int8][fusion]") {
  // 9 x 7 = 63 outputs a plane: every residual pass that ends the plane leaves three positions to
  // the raw path (mtc_panel_raw_mulhi), which only such layers link.
  SweepModel fused = quantize_model(residual_model(9, 7), 12);
  REQUIRE(count(fused.graph, "QConv", 4) == 2);
  CHECK(emit_c_bundle(fused.graph, "net").source.find("mtc_panel_raw_mulhi") != std::string::npos);
  CHECK(emit_c_bundle(quantize_model(residual_model(), 12).graph, "net").source.find("mtc_panel_raw_") ==
        std::string::npos);
  check_engines_match_evaluator(fused);
}
