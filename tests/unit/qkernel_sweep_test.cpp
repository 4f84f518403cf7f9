// The int8 convolution, depthwise and fully-connected kernels across many layer geometries (kernel
// sizes, strides, dilation, asymmetric pads, channel counts and output widths around the panel tile
// of 8, fused Relu/Clip): the compiler's int8 evaluator, generated C on the host (also sanitized)
// and on Cortex-M4 under QEMU with the DSP kernels and with the plain C ones agree bit for bit.
// Also int8 pooling at inside and padded windows.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "codegen/c_emitter.h"
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
#include "quantized_models.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

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

  const std::vector<EngineOutputs> engines = run_all_engines(m);
  for (const EngineOutputs &e : engines) {
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
      conv({1, 6, 5, 7}, 9, {1, 1}),  // pointwise fill, plane of 35: four whole tiles and a partial one
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
      // Runs of a row longer than the fill's padded copy (stride 3 x dilation 4), and 5-wide rows
      // whose tap pairs start at odd taps, at the borders.
      conv({1, 3, 5, 60}, 3, {1, 9}).stride({1, 3}).dilate({1, 4}).pad({0, 2, 0, 2}),
      conv({1, 3, 7, 13}, 5, {2, 5}).pad({1, 2, 0, 1}),
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
  // The 3x3 fast paths: stride 1 takes output rows by two and columns by two on a plane widened
  // whole (an odd last row and an odd last column separately), stride 2 columns by two; heights and
  // widths 1..9 of both parities, a few planes large enough for the ring of rows instead.
  const int64_t hw[][2] = {{1, 1}, {2, 3}, {3, 2}, {5, 5}, {6, 7}, {7, 4}, {2, 9}, {4, 8}, {9, 6}};
  for (const auto &d : hw) {
    layers.push_back(depthwise({1, 2 + d[1] % 3, d[0], d[1]}, {3, 3}).pad({1, 1, 1, 1}));
    layers.push_back(depthwise({1, 3, d[0] + 2, d[1] + 2}, {3, 3}).relu());
  }
  for (int64_t w = 1; w <= 9; ++w)
    layers.push_back(depthwise({1, 2 + w % 2, 1 + w % 5, w}, {3, 3}).stride({2, 2}).pad({1, 1, 1, 1}));
  layers.push_back(depthwise({1, 16, 24, 23}, {3, 3}).pad({1, 1, 1, 1}));
  layers.push_back(depthwise({1, 16, 25, 21}, {3, 3}).stride({2, 2}).pad({1, 1, 1, 1}));
  layers.push_back(depthwise({1, 16, 24, 22}, {3, 3}).stride({1, 2}).pad({1, 0, 1, 1}));
  // 5x5 at stride 1 and 7x7 at strides 1 and 2 on planes widened whole (small planes, or enough
  // channels for the scratch cap), odd and even output widths.
  for (const auto &d : std::vector<Shape>{{1, 3, 4, 4}, {1, 2, 3, 5}, {1, 3, 2, 7}, {1, 2, 1, 1}})
    layers.push_back(depthwise(d, {5, 5}).pad({2, 2, 2, 2}));
  layers.push_back(depthwise({1, 3, 7, 8}, {7, 7}));
  layers.push_back(depthwise({1, 256, 5, 5}, {7, 7}).pad({3, 3, 3, 3}));
  layers.push_back(depthwise({1, 64, 9, 9}, {7, 7}).stride({2, 2}));
  layers.push_back(depthwise({1, 128, 8, 9}, {7, 7}).stride({2, 2}).pad({3, 3, 3, 3}).relu());
  sweep(layers, 202);
}

TEST_CASE("layers outside the high-multiply int8 mode get mtc_requant_any and the panel's raw path, models "
          "without them do not link either",
          "[int8][sweep]") {
  auto bundle_of = [](const std::vector<Layer> &layers) {
    SweepModel m = quantize_model(build_model(layers, 31), 32);
    return emit_c_bundle(m.graph, "net");
  };
  auto links_any = [](const CBundle &b) {
    return std::find(b.runtime_files.begin(), b.runtime_files.end(), "src/mtc_requant_any.c") != b.runtime_files.end();
  };
  // Without an activation or with Relu the clamp is the whole int8 range: the fast paths.
  CBundle fast = bundle_of({conv({1, 4, 6, 6}, 6, {3, 3}).pad({1, 1, 1, 1}), conv({1, 4, 6, 6}, 5, {1, 1}).relu(),
                            fully_connected("Gemm", {2, 12}, 5)});
  CHECK_FALSE(links_any(fast));
  CHECK(fast.source.find("mtc_requant_any") == std::string::npos);
  // 36 outputs a plane: whole blocks of four, no raw path
  CHECK(fast.source.find("mtc_panel_raw_") == std::string::npos);
  // A Clip inside the calibrated range narrows the clamp: the layer needs the general form.
  CBundle clipped = bundle_of({conv({1, 4, 6, 6}, 6, {3, 3}).clip(0.1f, 0.4f)});
  CHECK(links_any(clipped));
  CHECK(clipped.source.find("mtc_requant_any") == std::string::npos);  // through the raw path
  CHECK(clipped.source.find("mtc_panel_raw_any") != std::string::npos);
  // A plane of three outputs: no block of four, the high multiply through the raw path.
  CBundle short_plane = bundle_of({conv({1, 4, 1, 3}, 6, {1, 1})});
  CHECK(short_plane.source.find("mtc_panel_raw_mulhi") != std::string::npos);
  CHECK_FALSE(links_any(short_plane));
}

TEST_CASE("panel layers whose rows the kernel's own fill covers do not link the general fill", "[int8][sweep]") {
  auto links_fill_any = [](const std::vector<Layer> &layers) {
    SweepModel m = quantize_model(build_model(layers, 41), 42);
    CBundle b = emit_c_bundle(m.graph, "net");
    return std::find(b.runtime_files.begin(), b.runtime_files.end(), "src/mtc_panel_fill_row_any.c") !=
           b.runtime_files.end();
  };
  // Whole tiles (output width a multiple of 8) with padding, stride 2, and no padding at any width.
  CHECK_FALSE(links_fill_any({conv({1, 3, 8, 16}, 4, {3, 3}).pad({1, 1, 1, 1}),
                              conv({1, 3, 9, 16}, 4, {3, 3}).stride({2, 2}).pad({1, 1, 1, 1}),
                              conv({1, 3, 7, 13}, 4, {3, 3}), conv({1, 5, 7, 11}, 4, {1, 1})}));
  // Padded rows in tiles that span output rows, and a dilated padded window.
  CHECK(links_fill_any({conv({1, 3, 7, 6}, 4, {3, 3}).pad({1, 1, 1, 1})}));
  CHECK(links_fill_any({conv({1, 3, 9, 16}, 4, {3, 3}).dilate({2, 2}).pad({2, 2, 2, 2})}));
}

TEST_CASE("pointwise stride-1 panel layers with an even number of input channels get the pointwise fill",
          "[int8][sweep]") {
  auto fill_whole = [](const Layer &l) {
    SweepModel m = quantize_model(build_model({l}, 51), 52);
    CBundle b = emit_c_bundle(m.graph, "net");
    const bool named = b.source.find(".fill_whole = mtc_panel_fill_pointwise") != std::string::npos;
    const bool linked = std::find(b.runtime_files.begin(), b.runtime_files.end(), "src/mtc_panel_fill_pointwise.c") !=
                        b.runtime_files.end();
    CHECK(named == linked);
    return named;
  };
  CHECK(fill_whole(conv({1, 6, 5, 7}, 9, {1, 1})));
  CHECK_FALSE(fill_whole(conv({1, 5, 5, 7}, 9, {1, 1})));                   // odd channels
  CHECK_FALSE(fill_whole(conv({1, 6, 5, 7}, 9, {1, 1}).stride({2, 2})));    // stride 2
  CHECK_FALSE(fill_whole(conv({1, 6, 5, 7}, 9, {1, 1}).pad({1, 1, 1, 1})));  // padded
  CHECK_FALSE(fill_whole(conv({1, 6, 5, 7}, 9, {3, 3})));
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
      {"AveragePool", {1, 3, 10, 13}, {2, 7}, {2, 3}, {0, 0, 0, 0}, 0},  // rows of 7: a word and a tail
      {"MaxPool", {1, 3, 9, 11}, {3, 3}, {2, 2}, {1, 1, 1, 1}, 0},
      {"AveragePool", {1, 6, 3, 3}, {3, 3}, {1, 1}, {0, 0, 0, 0}, 0},    // whole planes of 9 values
      {"AveragePool", {1, 3, 16, 16}, {16, 16}, {16, 16}, {0, 0, 0, 0}, 1},
      {"AveragePool", {1, 2, 4, 4}, {4, 4}, {1, 1}, {1, 1, 1, 1}, 0},  // whole plane, padded: 2-D kernel
  };
  SweepModel m = quantize_model(pool_model(pools), 707);
  REQUIRE(m.report.float_nodes.empty());
  for (size_t i = 0; i < pools.size(); ++i) {
    const Node *n = find_node(m.graph, "P" + std::to_string(i));
    REQUIRE(n);
    CHECK(n->op == (pools[i].op == "AveragePool" ? "QAveragePool" : "MaxPool"));
  }
  // Windows that are whole unpadded planes (pools 3, 7 and 8) take the global kernel.
  const CBundle bundle = emit_c_bundle(m.graph, "pools");
  for (const EmittedLayer &l : bundle.layers) {
    const Node &n = m.graph.nodes.at(size_t(l.step));
    if (n.op != "QAveragePool") continue;
    const bool whole = n.name == "P3" || n.name == "P7" || n.name == "P8";
    INFO("pool " << n.name);
    CHECK(l.kernel == (whole ? "mtc_qavgpool_global_s8" : "mtc_qavgpool2d_s8"));
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
