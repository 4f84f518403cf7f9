// The int8 convolution, depthwise and fully-connected kernels across many layer geometries (kernel
// sizes, strides, dilation, asymmetric pads, channel counts and output widths around the panel tile
// of 8, fused Relu/Clip): the compiler's int8 evaluator, generated C on the host (also sanitized)
// and on Cortex-M4 under QEMU with the DSP kernels and with the plain C ones agree bit for bit.
// Also the per-layer figures of `run --per-layer` and the portable-kernels baseline.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "codegen/kernels/kernel_select.h"
#include "driver/host_engine.h"
#include "driver/inspect.h"
#include "driver/load_model.h"
#include "driver/qemu_engine.h"
#include "eval/evaluator.h"
#include "passes/pass.h"
#include "quant/quantize.h"
#include "support/npy.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;

namespace {

const char *const kPanel = "mtc_qconv2d_s8_panel", *const kDepthwise = "mtc_qdwconv2d_s8",
                  *const kGenericConv = "mtc_qconv2d_s8", *const kFc = "mtc_qfc_s8";

// One float layer reading its own graph input and writing its own graph output, so that a model
// holds many geometries and each output isolates one kernel call.
struct Layer {
  std::string op = "Conv";  // Conv, Gemm or MatMul
  Shape x, w;
  std::vector<int64_t> strides, pads, dilations;  // empty: the ONNX defaults
  int64_t group = 1;
  bool trans_b = false, bias = true;
  // "", "Relu" or "Clip". The calibrated output range always holds zero, so only Clip bounds on the
  // same side of zero make the kernel's activation clamp bind before the int8 saturation does.
  std::string act;
  float clip_lo = 0.f, clip_hi = 0.f;
  std::string kernel;  // the runtime kernel this geometry must take

  Layer &stride(std::vector<int64_t> s) {
    strides = std::move(s);
    return *this;
  }
  Layer &pad(std::vector<int64_t> p) {
    pads = std::move(p);
    return *this;
  }
  Layer &dilate(std::vector<int64_t> d) {
    dilations = std::move(d);
    return *this;
  }
  Layer &no_bias() {
    bias = false;
    return *this;
  }
  Layer &relu() {
    act = "Relu";
    return *this;
  }
  Layer &clip(float lo, float hi) {
    act = "Clip";
    clip_lo = lo;
    clip_hi = hi;
    return *this;
  }

  std::string describe() const {
    auto list = [](const std::vector<int64_t> &v) {
      std::string s = "[";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
      return s + "]";
    };
    std::string s = op + " x=" + list(x) + " w=" + list(w);
    if (op == "Conv") {
      s += " strides=" + (strides.empty() ? "1" : list(strides)) + " pads=" + (pads.empty() ? "0" : list(pads)) +
           " dilations=" + (dilations.empty() ? "1" : list(dilations)) + " group=" + std::to_string(group);
    }
    if (trans_b) s += " transB";
    s += bias ? " bias" : " no bias";
    if (act == "Clip") s += " +Clip(" + std::to_string(clip_lo) + ", " + std::to_string(clip_hi) + ")";
    else if (!act.empty()) s += " +" + act;
    return s + " (" + kernel + ")";
  }
};

Layer conv(Shape x, int64_t oc, std::vector<int64_t> k, int64_t group = 1) {
  Layer l;
  l.x = x;
  l.w = {oc, x[1] / group};
  l.w.insert(l.w.end(), k.begin(), k.end());
  l.group = group;
  l.kernel = group == 1 ? kPanel : group == x[1] && oc == group ? kDepthwise : kGenericConv;
  return l;
}

Layer depthwise(Shape x, std::vector<int64_t> k) { return conv(x, x[1], std::move(k), x[1]); }

Layer fully_connected(const std::string &op, Shape x, int64_t cols, bool trans_b = false) {
  Layer l;
  l.op = op;
  l.x = x;
  l.w = trans_b ? Shape{cols, x.back()} : Shape{x.back(), cols};
  l.trans_b = trans_b;
  l.bias = op == "Gemm";
  l.kernel = kFc;
  return l;
}

void add_ints(onnx::NodeProto *n, const std::string &name, const std::vector<int64_t> &v) {
  if (v.empty()) return;
  auto *a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t i : v) a->add_ints(i);
}

void add_int(onnx::NodeProto *n, const std::string &name, int64_t v) {
  auto *a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void add_initializer(onnx::GraphProto *g, const std::string &name, const Shape &shape, const std::vector<float> &v) {
  auto *t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape) t->add_dims(d);
  for (float f : v) t->add_float_data(f);
}

// Float ONNX model: layer i reads input "x<i>" and writes output "y<i>"; its node is named "L<i>".
// Weights are uniform in [-1, 1] (per-channel int8 keeps them far from zero) and biases of the size
// of a typical accumulator, so neither term is negligible.
std::string build_model(const std::vector<Layer> &layers, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uni(-1.f, 1.f);
  auto random = [&](size_t n, float scale) {
    std::vector<float> v(n);
    for (float &f : v) f = uni(rng) * scale;
    return v;
  };
  onnx::ModelProto m = test::empty_onnx_model("qkernel_sweep");
  auto *g = m.mutable_graph();
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer &l = layers[i];
    const std::string s = std::to_string(i), x = "x" + s, w = "w" + s, b = "b" + s, y = "y" + s;
    auto *in = g->add_input();
    in->set_name(x);
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : l.x) tt->mutable_shape()->add_dim()->set_dim_value(d);
    int64_t fan_in = l.op == "Conv" ? shape_elements(l.w) / l.w[0] : l.x.back();
    add_initializer(g, w, l.w, random(size_t(shape_elements(l.w)), 1.f));
    int64_t outputs = l.op == "Conv" ? l.w[0] : (l.trans_b ? l.w[0] : l.w[1]);
    if (l.bias) add_initializer(g, b, {outputs}, random(size_t(outputs), 0.3f * std::sqrt(float(fan_in))));
    auto *n = g->add_node();
    n->set_op_type(l.op);
    n->set_name("L" + s);
    n->add_input(x);
    n->add_input(w);
    if (l.bias) n->add_input(b);
    n->add_output(l.act.empty() ? y : "pre" + s);
    if (l.op == "Conv") {
      add_ints(n, "kernel_shape", Shape(l.w.begin() + 2, l.w.end()));
      add_ints(n, "strides", l.strides);
      add_ints(n, "pads", l.pads);
      add_ints(n, "dilations", l.dilations);
      if (l.group != 1) add_int(n, "group", l.group);
    }
    if (l.trans_b) add_int(n, "transB", 1);
    if (!l.act.empty()) {
      auto *a = g->add_node();
      a->set_op_type(l.act);
      a->set_name("act" + s);
      a->add_input("pre" + s);
      if (l.act == "Clip") {
        add_initializer(g, "lo" + s, {}, {l.clip_lo});
        add_initializer(g, "hi" + s, {}, {l.clip_hi});
        a->add_input("lo" + s);
        a->add_input("hi" + s);
      }
      a->add_output(y);
    }
    auto *out = g->add_output();
    out->set_name(y);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }
  return m.SerializeAsString();
}

// Inputs uniform in [-0.5, 1.5] (a non-zero input zero point), `gain` times that for items that
// should leave the calibrated range and saturate.
std::vector<Value> random_inputs(const Graph &g, std::mt19937 &rng, float gain) {
  std::uniform_real_distribution<float> uni(-0.5f, 1.5f);
  std::vector<Value> item;
  for (TensorId id : g.inputs) {
    Value v(DType::F32, g.tensor(id).shape);
    for (int64_t i = 0; i < v.elements(); ++i) v.data<float>()[i] = gain * uni(rng);
    item.push_back(std::move(v));
  }
  return item;
}

struct SweepModel {
  Graph graph;
  std::vector<std::vector<Value>> batch;  // what the engines run
  QuantizeReport report;
};

Graph load_bytes(const std::string &bytes) {
  TempDir tmp("mtc-sweep-model");
  std::string path = tmp.path() + "/model.onnx";
  std::ofstream(path, std::ios::binary) << bytes;
  LoadOptions lo;
  lo.verify_each = true;
  return load_model(path, lo);
}

// Quantizes with a calibration batch of four random items; the run batch is two of those plus one
// fresh item at 1.5x gain (saturating inputs and accumulators past the calibrated range).
SweepModel quantize_model(const std::string &bytes, uint32_t seed) {
  SweepModel m;
  m.graph = load_bytes(bytes);
  std::mt19937 rng(seed);
  std::vector<std::vector<Value>> calibration;
  for (int i = 0; i < 4; ++i) calibration.push_back(random_inputs(m.graph, rng, 1.f));
  m.report = quantize_graph(m.graph, calibration, {});
  infer_and_fold(m.graph);
  verify_graph(m.graph);
  m.batch = {calibration[0], calibration[3], random_inputs(m.graph, rng, 1.5f)};
  return m;
}

const Node *find_node(const Graph &g, const std::string &name) {
  for (const Node &n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

// The runtime kernel emit_qconv / emit_qgemm choose for this node.
std::string chosen_kernel(const Graph &g, const Node &n) {
  QConvPanel panel;
  if (n.op == "QGemm") return kFc;  // our quantizer's weights are symmetric: always the FC kernel
  if (n.op != "QConv") return "(not quantized: " + n.op + ")";
  if (qconv_uses_panel(g, n, panel)) return kPanel;
  return qconv_is_depthwise(g, n) ? kDepthwise : kGenericConv;
}

// "" when a and b hold the same bytes, else how many elements differ and the first few, as int8
// values of the layer's output (the graph outputs are their dequantized floats).
std::string mismatch(const Value &got, const Value &want, const QuantParams &q) {
  if (got.dtype != want.dtype || got.shape != want.shape) return "different type or shape";
  if (got.bytes == want.bytes) return "";
  std::ostringstream s;
  int64_t differ = 0;
  for (int64_t i = 0; i < want.elements(); ++i) {
    if (got.get_f64(i) == want.get_f64(i)) continue;
    if (++differ > 4) continue;
    s << " [" << i << "]: got " << std::lround(got.get_f64(i) / q.scale[0]) + q.zero_point[0] << " want "
      << std::lround(want.get_f64(i) / q.scale[0]) + q.zero_point[0] << ";";
  }
  return std::to_string(differ) + " of " + std::to_string(want.elements()) + " elements differ (flat index, int8):" +
         s.str();
}

// Runs `layers` as one model through every engine and checks each layer's output bit for bit.
void sweep(const std::vector<Layer> &layers, uint32_t seed) {
  SweepModel m = quantize_model(build_model(layers, seed), seed + 1);
  REQUIRE(m.report.float_nodes.empty());
  REQUIRE(m.graph.outputs.size() == layers.size());

  std::vector<const QuantParams *> out_q;
  for (size_t i = 0; i < layers.size(); ++i) {
    INFO("layer " << i << ": " << layers[i].describe());
    const Node *n = find_node(m.graph, "L" + std::to_string(i));
    REQUIRE(n);
    CHECK(chosen_kernel(m.graph, *n) == layers[i].kernel);
    // A fused activation must have become the kernel's clamp, not a node of its own.
    CHECK(find_node(m.graph, "act" + std::to_string(i)) == nullptr);
    REQUIRE(m.graph.tensor(n->outputs[0]).quant);
    out_q.push_back(&*m.graph.tensor(n->outputs[0]).quant);
  }

  std::vector<std::vector<Value>> ref;
  for (const auto &item : m.batch) ref.push_back(evaluate_graph(m.graph, item));
  // The reference outputs must not be trivial: many distinct int8 values per layer.
  for (size_t i = 0; i < layers.size(); ++i) {
    INFO("layer " << i << ": " << layers[i].describe());
    std::set<double> distinct;
    int64_t total = 0;
    for (const auto &r : ref) {
      total += r[i].elements();
      for (int64_t e = 0; e < r[i].elements(); ++e) distinct.insert(r[i].get_f64(e));
    }
    CHECK(int64_t(distinct.size()) >= std::min<int64_t>(8, total / 2));
    // The activation applied: every value within its bounds (to half a step), the bounds reached.
    double lo = *distinct.begin(), hi = *distinct.rbegin(), step = out_q[i]->scale[0];
    if (layers[i].act == "Relu") CHECK(std::fabs(lo) <= step / 2);
    if (layers[i].act == "Clip") {
      CHECK(std::fabs(lo - layers[i].clip_lo) <= step / 2);
      CHECK(std::fabs(hi - layers[i].clip_hi) <= step / 2);
    }
  }

  struct Engine {
    std::string name;
    std::vector<std::vector<Value>> outputs;
  };
  std::vector<Engine> engines;
  engines.push_back({"host C -O2", run_on_host(m.graph, m.batch, {})});
  HostBuildOptions san;
  san.sanitize = true;
  san.optimize = false;
  engines.push_back({"host C ASan/UBSan", run_on_host(m.graph, {m.batch.back()}, san)});
  QemuOptions qo;
  qo.plugin = MTC_QEMU_PLUGIN_PATH;
  QemuRun dsp = run_on_qemu(m.graph, m.batch, qo);
  qo.portable_kernels = true;
  QemuRun portable = run_on_qemu(m.graph, m.batch, qo);
  engines.push_back({"cortex-m4 QEMU, DSP kernels", dsp.outputs});
  engines.push_back({"cortex-m4 QEMU, portable kernels", portable.outputs});
  // The DSP paths must be what the default build runs: cheaper than the plain C ones.
  REQUIRE(dsp.report.instructions_per_inference);
  REQUIRE(portable.report.instructions_per_inference);
  CHECK(*dsp.report.instructions_per_inference < *portable.report.instructions_per_inference);

  for (const Engine &e : engines) {
    INFO("engine: " << e.name);
    REQUIRE(e.outputs.size() <= m.batch.size());
    for (size_t b = 0; b < e.outputs.size(); ++b) {
      // The sanitized build ran only the last item.
      size_t item = e.outputs.size() == m.batch.size() ? b : m.batch.size() - 1;
      INFO("batch item " << item);
      REQUIRE(e.outputs[b].size() == layers.size());
      for (size_t i = 0; i < layers.size(); ++i) {
        INFO("layer " << i << ": " << layers[i].describe());
        CHECK(mismatch(e.outputs[b][i], ref[item][i], *out_q[i]) == "");
      }
    }
  }
}

}  // namespace

TEST_CASE("int8 panel convolution (group 1) is bit-exact on every engine across geometries", "[int8][qemu][sweep]") {
  std::vector<Layer> layers = {
      // 1x1: output widths 8 and 9 (tile and tile + 1), 17 output channels, stride 2.
      conv({1, 16, 8, 8}, 17, {1, 1}),
      conv({1, 3, 9, 17}, 3, {1, 1}).stride({2, 2}),
      conv({1, 1, 4, 16}, 1, {1, 1}).no_bias(),
      // 3x3: widths 16, 7, 17, 1; pad 1; stride 2; one input channel.
      conv({1, 3, 10, 18}, 17, {3, 3}).relu(),
      conv({1, 5, 7, 7}, 3, {3, 3}).pad({1, 1, 1, 1}).no_bias(),
      conv({1, 16, 9, 33}, 17, {3, 3}).stride({2, 2}).pad({1, 1, 1, 1}).clip(0.2f, 0.6f),
      conv({1, 3, 5, 3}, 3, {3, 3}),
      conv({1, 1, 6, 10}, 17, {3, 3}),
      conv({1, 16, 6, 9}, 1, {3, 3}).pad({1, 1, 1, 1}),
      // Asymmetric pads [top, left, bottom, right].
      conv({1, 3, 8, 8}, 3, {3, 3}).pad({0, 1, 2, 0}).relu(),
      conv({1, 5, 9, 12}, 17, {3, 3}).pad({2, 0, 0, 1}).stride({1, 2}),
      // 5x5, 1x7, 7x1, 10x4.
      conv({1, 1, 12, 12}, 3, {5, 5}).pad({2, 2, 2, 2}),
      conv({1, 5, 9, 5}, 17, {5, 5}).pad({0, 0, 0, 0}),
      conv({1, 3, 6, 15}, 3, {1, 7}),
      conv({1, 5, 13, 8}, 17, {7, 1}).clip(-0.6f, -0.1f),
      conv({1, 3, 12, 11}, 3, {10, 4}),
      conv({1, 3, 12, 11}, 17, {10, 4}).stride({3, 3}).no_bias(),
      // Stride 3; stride 3 with padding.
      conv({1, 16, 20, 27}, 3, {3, 3}).stride({3, 3}),
      conv({1, 5, 10, 10}, 3, {3, 3}).stride({3, 3}).pad({1, 1, 1, 1}).relu(),
      // Dilation 2, also with asymmetric pads.
      conv({1, 5, 11, 13}, 17, {3, 3}).dilate({2, 2}),
      conv({1, 3, 11, 13}, 3, {3, 3}).dilate({2, 2}).pad({0, 1, 2, 0}),
      conv({1, 3, 9, 20}, 3, {3, 2}).dilate({1, 3}),
      // Outputs smaller than the kernel footprint, mostly padding.
      conv({1, 3, 2, 2}, 3, {5, 5}).pad({3, 3, 3, 3}).stride({3, 3}),
      conv({1, 5, 1, 1}, 17, {7, 7}).pad({3, 3, 3, 3}),
      conv({1, 16, 3, 2}, 3, {5, 5}).pad({2, 4, 2, 4}).relu(),
      // 1-D (N, C, L): widths 10, 17, 9.
      conv({1, 5, 20}, 17, {3}).stride({2}).pad({1, 1}),
      conv({1, 16, 17}, 3, {1}).no_bias(),
      conv({1, 3, 17}, 1, {5}).dilate({2}).relu(),
  };
  sweep(layers, 101);
}

TEST_CASE("int8 depthwise and grouped convolutions are bit-exact on every engine across geometries",
          "[int8][qemu][sweep]") {
  std::vector<Layer> layers = {
      depthwise({1, 8, 5, 5}, {3, 3}),
      depthwise({1, 3, 9, 17}, {3, 3}).pad({1, 1, 1, 1}).relu(),
      depthwise({1, 16, 8, 16}, {3, 3}).stride({2, 2}).pad({1, 1, 1, 1}).clip(0.1f, 1.f),
      depthwise({1, 5, 6, 16}, {5, 5}).pad({2, 2, 2, 2}).clip(-0.4f, 0.6f),
      depthwise({1, 4, 11, 9}, {5, 5}).stride({2, 2}).pad({0, 1, 2, 0}),
      depthwise({1, 3, 7, 7}, {7, 7}).pad({3, 3, 3, 3}).no_bias(),
      depthwise({1, 2, 7, 7}, {7, 7}).stride({2, 2}),
      depthwise({1, 6, 9, 12}, {7, 7}).stride({2, 2}).pad({3, 3, 3, 3}).relu(),
      depthwise({1, 4, 9, 9}, {3, 3}).dilate({2, 2}).pad({1, 2, 1, 0}),
      depthwise({1, 5, 20}, {3}).stride({2}).pad({1, 0}),
      // Grouped but not depthwise: the generic kernel.
      conv({1, 4, 6, 9}, 6, {3, 3}, 2).pad({1, 1, 1, 1}).clip(-1.f, -0.1f),
      conv({1, 6, 9, 9}, 4, {3, 3}, 2).stride({2, 2}).no_bias().relu(),
      conv({1, 3, 7, 8}, 6, {3, 3}, 3),  // channel multiplier 2
  };
  // Output widths 1..17 at stride 1, pads 0 / 1 / asymmetric in turn.
  for (int64_t w = 1; w <= 17; ++w) {
    int64_t c = 2 + w % 4;
    if (w % 3 == 0) layers.push_back(depthwise({1, c, 3, w + 2}, {3, 3}));
    else if (w % 3 == 1) layers.push_back(depthwise({1, c, 4, w}, {3, 3}).pad({1, 1, 1, 1}));
    else layers.push_back(depthwise({1, c, 5, w + 1}, {3, 3}).pad({0, 0, 2, 1}).stride({1, 1}));
  }
  sweep(layers, 202);
}

TEST_CASE("int8 fully-connected layers are bit-exact on every engine for odd sizes", "[int8][qemu][sweep]") {
  std::vector<Layer> layers = {
      fully_connected("Gemm", {1, 5}, 3),
      fully_connected("Gemm", {4, 13}, 7, true).relu(),
      fully_connected("Gemm", {2, 1}, 5),
      fully_connected("Gemm", {3, 67}, 17).clip(0.1f, 2.f),
      fully_connected("Gemm", {1, 16}, 1),
      fully_connected("MatMul", {2, 3, 13}, 9),
      fully_connected("MatMul", {5, 6}, 11).relu(),
  };
  sweep(layers, 303);
}

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

namespace {

struct Pool {
  std::string op;  // AveragePool or MaxPool
  Shape x;
  std::vector<int64_t> kernel, strides, pads;
  int64_t count_include_pad = 0;
};

// One pooling node per graph input/output, so each output isolates one kernel call.
std::string pool_model(const std::vector<Pool> &pools) {
  onnx::ModelProto m = test::empty_onnx_model("qpool_sweep");
  auto *g = m.mutable_graph();
  for (size_t i = 0; i < pools.size(); ++i) {
    const Pool &p = pools[i];
    const std::string s = std::to_string(i);
    auto *in = g->add_input();
    in->set_name("x" + s);
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : p.x) tt->mutable_shape()->add_dim()->set_dim_value(d);
    auto *n = g->add_node();
    n->set_op_type(p.op);
    n->set_name("P" + s);
    n->add_input("x" + s);
    n->add_output("y" + s);
    add_ints(n, "kernel_shape", p.kernel);
    add_ints(n, "strides", p.strides);
    add_ints(n, "pads", p.pads);
    if (p.op == "AveragePool") add_int(n, "count_include_pad", p.count_include_pad);
    auto *out = g->add_output();
    out->set_name("y" + s);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }
  return m.SerializeAsString();
}

}  // namespace

TEST_CASE("int8 pooling is bit-exact on every engine, inside windows and at padded borders",
          "[int8][qemu][sweep]") {
  const std::vector<Pool> pools = {
      {"AveragePool", {1, 4, 9, 11}, {3, 3}, {1, 1}, {1, 1, 1, 1}, 0},
      {"AveragePool", {1, 3, 9, 11}, {3, 3}, {2, 2}, {1, 0, 0, 1}, 1},
      {"AveragePool", {1, 2, 8, 8}, {2, 2}, {2, 2}, {0, 0, 0, 0}, 0},
      {"AveragePool", {1, 5, 25, 5}, {25, 5}, {1, 1}, {0, 0, 0, 0}, 0},  // a whole plane (DS-CNN)
      {"AveragePool", {1, 2, 7, 7}, {5, 3}, {2, 1}, {2, 1, 2, 1}, 1},
      {"MaxPool", {1, 3, 9, 11}, {3, 3}, {2, 2}, {1, 1, 1, 1}, 0},
  };
  SweepModel m = quantize_model(pool_model(pools), 707);
  REQUIRE(m.report.float_nodes.empty());
  for (size_t i = 0; i < pools.size(); ++i) {
    const Node *n = find_node(m.graph, "P" + std::to_string(i));
    REQUIRE(n);
    CHECK(n->op == (pools[i].op == "AveragePool" ? "QAveragePool" : "MaxPool"));
  }
  std::vector<std::vector<Value>> ref;
  for (const auto &item : m.batch) ref.push_back(evaluate_graph(m.graph, item));
  QemuOptions qo;
  qo.plugin = MTC_QEMU_PLUGIN_PATH;
  const std::vector<std::pair<std::string, std::vector<std::vector<Value>>>> engines = {
      {"host C -O2", run_on_host(m.graph, m.batch, {})}, {"cortex-m4 QEMU", run_on_qemu(m.graph, m.batch, qo).outputs}};
  for (const auto &[name, outputs] : engines) {
    INFO("engine: " << name);
    REQUIRE(outputs.size() == m.batch.size());
    for (size_t b = 0; b < outputs.size(); ++b)
      for (size_t i = 0; i < pools.size(); ++i) {
        INFO("item " << b << ", pool " << i << " (" << pools[i].op << ")");
        CHECK(outputs[b].at(i).bytes == ref[b].at(i).bytes);
      }
  }
}
