// Softmax over dequantized int8 logits fused into QSoftmax (passes/fuse_dequantize_softmax.cpp):
// the fused graph computes the same floats as DequantizeLinear + Softmax, in the evaluator and in
// the generated C on the host and on Cortex-M4, where the model links one kernel instead of two.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "codegen/c_emitter.h"
#include "driver/host_engine.h"
#include "driver/qemu_engine.h"
#include "eval/evaluator.h"
#include "passes/pass.h"
#include "quantized_models.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

// x [2, 12] -> Gemm (10 logits) -> Softmax over the last axis;
// c [1, 3, 5, 4] -> 1x1 Conv (6 channels) -> Softmax over the channels (inner stride 20).
std::string softmax_model() {
  onnx::ModelProto m = empty_onnx_model("qsoftmax");
  auto *g = m.mutable_graph();
  std::mt19937 rng(3);
  std::normal_distribution<float> d(0.f, 0.5f);
  auto random = [&](size_t n) {
    std::vector<float> v(n);
    for (float &f : v) f = d(rng);
    return v;
  };
  add_float_input(g, "x", {2, 12});
  add_float_input(g, "c", {1, 3, 5, 4});
  add_initializer(g, "w", {12, 10}, random(120));
  add_initializer(g, "b", {10}, random(10));
  add_node(g, "Gemm", {"x", "w", "b"}, "logits");
  add_int(add_node(g, "Softmax", {"logits"}, "p"), "axis", -1);
  add_initializer(g, "k", {6, 3, 1, 1}, random(18));
  add_node(g, "Conv", {"c", "k"}, "maps");
  add_int(add_node(g, "Softmax", {"maps"}, "q"), "axis", 1);
  add_float_output(g, "p");
  add_float_output(g, "q");
  return m.SerializeAsString();
}

int count(const Graph &g, const std::string &op) {
  return int(std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node &n) { return n.op == op; }));
}

}  // namespace

TEST_CASE("Softmax over int8 logits reads them directly, with the same floats on every engine",
          "[int8][fusion][qemu]") {
  const std::string bytes = softmax_model();
  SweepModel fused = quantize_model(bytes, 21);
  CHECK(count(fused.graph, "QSoftmax") == 2);
  CHECK(count(fused.graph, "Softmax") == 0);
  CHECK(count(fused.graph, "DequantizeLinear") == 0);

  // The same quantization without the fusion.
  QuantizeOptions unfused_opts;
  unfused_opts.fuse_dequantize_softmax = false;
  const Graph unfused = quantize_model(bytes, 21, unfused_opts).graph;
  REQUIRE(count(unfused, "Softmax") == 2);
  REQUIRE(count(unfused, "DequantizeLinear") == 2);

  // the kernels each model links
  const CBundle fb = emit_c_bundle(fused.graph, "net"), ub = emit_c_bundle(unfused, "net");
  auto links = [](const CBundle &b, const std::string &f) {
    return std::find(b.runtime_files.begin(), b.runtime_files.end(), "src/" + f + ".c") != b.runtime_files.end();
  };
  CHECK(links(fb, "mtc_softmax_s8_f32"));
  CHECK_FALSE(links(fb, "mtc_softmax_f32"));
  CHECK_FALSE(links(fb, "mtc_dequantize_linear_i8"));
  CHECK(links(ub, "mtc_dequantize_linear_i8"));

  QemuOptions qo;
  qo.plugin = MTC_QEMU_PLUGIN_PATH;
  const std::vector<std::vector<Value>> ev_f = [&] {
    std::vector<std::vector<Value>> r;
    for (const auto &item : fused.batch) r.push_back(evaluate_graph(fused.graph, item));
    return r;
  }();
  const std::vector<std::pair<std::string, std::pair<std::vector<std::vector<Value>>, std::vector<std::vector<Value>>>>>
      engines = {
          {"evaluator", {ev_f, [&] {
                           std::vector<std::vector<Value>> r;
                           for (const auto &item : fused.batch) r.push_back(evaluate_graph(unfused, item));
                           return r;
                         }()}},
          {"host C -O2", {run_on_host(fused.graph, fused.batch, {}), run_on_host(unfused, fused.batch, {})}},
          {"cortex-m4 QEMU",
           {run_on_qemu(fused.graph, fused.batch, qo).outputs, run_on_qemu(unfused, fused.batch, qo).outputs}},
      };
  for (const auto &[name, outs] : engines) {
    INFO("engine: " << name);
    REQUIRE(outs.first.size() == fused.batch.size());
    REQUIRE(outs.second.size() == fused.batch.size());
    for (size_t b = 0; b < fused.batch.size(); ++b)
      for (size_t o = 0; o < 2; ++o) {
        INFO("item " << b << " output " << o);
        CHECK(outs.first[b].at(o).bytes == outs.second[b].at(o).bytes);
        // and the C within float rounding of the evaluator's double-precision softmax
        const Value &got = outs.first[b].at(o), &want = ev_f[b].at(o);
        REQUIRE(got.elements() == want.elements());
        double worst = 0;
        for (int64_t i = 0; i < got.elements(); ++i)
          worst = std::max(worst, double(std::fabs(got.data<float>()[i] - want.data<float>()[i])));
        CHECK(worst < 1e-6);
      }
  }
}
