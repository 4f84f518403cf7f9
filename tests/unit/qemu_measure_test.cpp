// What `microtc run` measures on Cortex-M: the per-layer figures of `--per-layer` (execution order,
// node MACs, summing to the whole inference) and the `--portable-kernels` baseline (same output
// bytes, more instructions).
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "ops/op.h"
#include "driver/qemu_engine.h"
#include "quantized_models.h"
#include "support/npy.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

// x -> Conv 3x3 + Relu -> depthwise 3x3 -> Conv 1x1 -> GlobalAveragePool -> Flatten -> Gemm.
std::string small_cnn(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uni(-1.f, 1.f);
  auto random = [&](size_t n) {
    std::vector<float> v(n);
    for (float &f : v) f = uni(rng);
    return v;
  };
  onnx::ModelProto m = test::empty_onnx_model("small_cnn");
  auto *g = m.mutable_graph();
  auto *in = g->add_input();
  in->set_name("x");
  auto *tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 3, 12, 12}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  add_initializer(g, "w1", {8, 3, 3, 3}, random(8 * 27));
  add_initializer(g, "w2", {8, 1, 3, 3}, random(8 * 9));
  add_initializer(g, "w3", {16, 8, 1, 1}, random(16 * 8));
  add_initializer(g, "w4", {16, 10}, random(160));
  add_initializer(g, "b4", {10}, random(10));
  auto node = [&](const std::string &op, const std::string &name, std::vector<std::string> inputs,
                  const std::string &out) {
    auto *n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto &s : inputs) n->add_input(s);
    n->add_output(out);
    return n;
  };
  add_ints(node("Conv", "conv1", {"x", "w1"}, "c1"), "pads", {1, 1, 1, 1});
  node("Relu", "relu1", {"c1"}, "r1");
  auto *dw = node("Conv", "dw2", {"r1", "w2"}, "c2");
  add_ints(dw, "pads", {1, 1, 1, 1});
  add_int(dw, "group", 8);
  node("Conv", "conv3", {"c2", "w3"}, "c3");
  node("GlobalAveragePool", "gap", {"c3"}, "p");
  node("Flatten", "flatten", {"p"}, "f");
  node("Gemm", "fc", {"f", "w4", "b4"}, "y");
  auto *out = g->add_output();
  out->set_name("y");
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  return m.SerializeAsString();
}

}  // namespace

TEST_CASE("run --per-layer: layers in order with node MACs, adding up to the whole inference",
          "[int8][qemu][sweep]") {
  SweepModel m = quantize_model(small_cnn(404), 405);
  REQUIRE(m.report.float_nodes.empty());
  QemuOptions qo;
  qo.plugin = MTC_QEMU_PLUGIN_PATH;
  QemuRun whole = run_on_qemu(m.graph, {m.batch[0]}, qo);
  qo.per_layer = true;
  QemuRun layered = run_on_qemu(m.graph, {m.batch[0]}, qo);
  CHECK(layered.outputs.at(0).at(0).bytes == whole.outputs.at(0).at(0).bytes);
  CHECK(whole.report.layers.empty());
  const std::vector<LayerFigures> &layers = layered.report.layers;
  REQUIRE(!layers.empty());

  std::vector<std::string> kernels;
  int64_t sum = 0, prev_step = -1;
  for (const LayerFigures &l : layers) {
    INFO("step " << l.step << " " << l.op << " " << l.name << " (" << l.kernel << ")");
    CHECK(l.step > prev_step);  // execution order
    prev_step = l.step;
    const Node &n = m.graph.nodes.at(size_t(l.step));
    CHECK(l.op == n.op);
    CHECK(l.name == n.name);
    CHECK(l.macs == node_macs(m.graph, n));
    CHECK(l.instructions > 0);
    sum += l.instructions;
    if (n.op == "QConv" || n.op == "QGemm") {
      CHECK(l.macs > 0);
      CHECK(l.kernel == chosen_kernel(m.graph, n));
      kernels.push_back(l.name + ":" + l.kernel);
    }
  }
  CHECK(kernels == std::vector<std::string>{"conv1:mtc_qconv2d_s8_panel", "dw2:mtc_qdwconv2d_s8",
                                            "conv3:mtc_qconv2d_s8_panel", "fc:mtc_qfc_s8"});
  // Every node that computes something is measured: QuantizeLinear in, the convolutions, the pool,
  // the Gemm, DequantizeLinear out.
  std::vector<std::string> ops;
  for (const LayerFigures &l : layers) ops.push_back(l.op);
  INFO("layer ops: " << std::accumulate(ops.begin(), ops.end(), std::string(),
                                        [](std::string a, const std::string &b) { return a + b + " "; }));
  CHECK(std::count(ops.begin(), ops.end(), "QConv") == 3);
  CHECK(std::count(ops.begin(), ops.end(), "QGlobalAveragePool") == 1);
  CHECK(std::count(ops.begin(), ops.end(), "QGemm") == 1);

  REQUIRE(whole.report.instructions_per_inference);
  REQUIRE(layered.report.instructions_per_inference);
  double total = *whole.report.instructions_per_inference;
  INFO("sum of layers " << sum << ", whole inference " << total << ", with markers "
                        << *layered.report.instructions_per_inference);
  // The kernels are the same objects in both builds; only the run function around them differs.
  CHECK(std::fabs(double(sum) - total) <= 0.01 * total);
  // The marker calls are in the per-layer run's total but in no layer's figure.
  CHECK(*layered.report.instructions_per_inference > double(sum));
}

TEST_CASE("run --portable-kernels: same output bytes, more instructions (CLI)", "[int8][qemu][sweep]") {
  TempDir tmp("mtc-sweep-cli");
  const std::string model = tmp.path() + "/cnn.onnx", calib = tmp.path() + "/calib.npy",
                    input = tmp.path() + "/x.npy";
  std::ofstream(model, std::ios::binary) << small_cnn(404);
  std::mt19937 rng(406);
  std::uniform_real_distribution<float> uni(-0.5f, 1.5f);
  Value batch(DType::F32, {4, 3, 12, 12});
  for (int64_t i = 0; i < batch.elements(); ++i) batch.data<float>()[i] = uni(rng);
  write_npy(calib, batch);
  Value x(DType::F32, {2, 3, 12, 12});
  std::copy(batch.data<float>(), batch.data<float>() + x.elements(), x.data<float>());
  write_npy(input, x);

  std::vector<std::string> outs;
  std::vector<double> instructions;
  for (bool portable : {false, true}) {
    INFO((portable ? "--portable-kernels" : "DSP kernels"));
    std::string out = tmp.path() + (portable ? "/y_portable.npy" : "/y.npy"),
                report = tmp.path() + (portable ? "/r_portable.json" : "/r.json");
    std::vector<std::string> args = {"run",      model,    "--quantize", "int8",        "--calib", calib,
                                     "--target", "cortex-m4", "--input", input, "--output", out, "--report", report};
    if (portable) args.push_back("--portable-kernels");
    ProcessResult r = test::run_microtc(args);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    std::ifstream rf(report);
    std::stringstream text;
    text << rf.rdbuf();
    const std::string j = text.str();
    CHECK(j.find(std::string("\"portable_kernels\": ") + (portable ? "true" : "false")) != std::string::npos);
    size_t at = j.find("\"instructions_per_inference\": ");
    REQUIRE(at != std::string::npos);
    instructions.push_back(std::stod(j.substr(at + 30)));
    std::ifstream yf(out, std::ios::binary);
    std::stringstream y;
    y << yf.rdbuf();
    outs.push_back(y.str());
  }
  REQUIRE(outs[0].size() > 128);
  CHECK(outs[0] == outs[1]);
  INFO("DSP " << instructions[0] << ", portable " << instructions[1]);
  CHECK(instructions[0] > 0);
  CHECK(instructions[1] > instructions[0]);
}
