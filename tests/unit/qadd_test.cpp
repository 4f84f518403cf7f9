// The one-rounding int8 Add (quant/qbinary_params.h, runtime mtc_qadd_sum): hand-computed constants
// and results (zero points folded, negative values, ties, saturation, clamp); where it falls back
// to fixed point; that microtc's quantizer asks for it on Add only; the precision argument (every
// result within 1 of the exact sum rounded half away from zero, and equal to it except within 1/8
// of a tie) over all 256 x 256 operand pairs; and the same 65,536 pairs through the evaluator,
// host C (also sanitized) and Cortex-M4 under QEMU with the DSP and the plain C kernels, against
// the formula computed here.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <cmath>

#include "eval/evaluator.h"
#include "ops/activation.h"
#include "passes/pass.h"
#include "quant/qbinary_params.h"
#include "quantized_models.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

QBinaryParams one_rounding(float sa, int32_t za, float sb, int32_t zb, float sy, int32_t zy, int32_t lo = -128,
                           int32_t hi = 127) {
  return make_qadd_params(per_tensor_quant(sa, za), per_tensor_quant(sb, zb), per_tensor_quant(sy, zy),
                          RequantMode::MulHigh, lo, hi);
}

// The formula of the mode, computed independently of the evaluator (floor division in double is
// exact at these magnitudes).
int32_t formula(const QBinaryParams &p, int32_t a, int32_t b) {
  const double acc = double(p.a_m16) * a + double(p.b_m16) * b + double(p.sum_bias);
  const double v = std::floor(acc / std::ldexp(1.0, p.sum_shift));
  return int32_t(std::min(std::max(v, double(p.out.act_min)), double(p.out.act_max)));
}

struct Scales {
  float sa;
  int32_t za;
  float sb;
  int32_t zb;
  float sy;
  int32_t zy;
  int32_t lo, hi;
};

// Parameter sets of the exhaustive checks: typical residual ratios, clamps (a Relu-like low end,
// a narrow range that most sums leave), ratios near the largest allowed (S = 11) and the smallest
// (S capped at 22), very different operand scales, extreme zero points.
const Scales kSets[] = {
    {0.041f, -7, 0.029f, 12, 0.053f, -20, -128, 127},  {0.5f, 3, 0.25f, -5, 1.f, 10, -20, 100},
    {0.06f, -128, 0.02f, 127, 0.05f, -128, -128, 127}, {15.f, 100, 1.f, -100, 1.f, 0, -128, 127},
    {1.f, 0, 1.f, 0, 400.f, 127, -128, 127},           {0.3f, 5, 0.0003f, -3, 0.2f, 0, 0, 127},
    {0.11f, 20, 0.13f, -30, 0.0123f, 5, -40, 20},
};

}  // namespace

TEST_CASE("one-rounding Add: hand-computed constants and results", "[int8][add]") {
  // ratios 0.5 and 0.25: 0.5 * 2^16 = 32768 does not fit int16, so S = 15
  QBinaryParams p = one_rounding(0.5f, 3, 0.25f, -5, 1.f, 10, -20, 100);
  REQUIRE(p.sum_shift == 15);
  CHECK(p.a_m16 == 16384);
  CHECK(p.b_m16 == 8192);
  // 2^14 - 16384 * 3 - 8192 * (-5) + 10 * 2^15
  CHECK(p.sum_bias == 16384 - 49152 + 40960 + 327680);
  // exact 0.5 (a - 3) + 0.25 (b + 5) + 10, rounded half up
  CHECK(apply_qadd(p, 3, -5) == 10);
  CHECK(apply_qadd(p, 4, -5) == 11);    // 10.5
  CHECK(apply_qadd(p, 2, -5) == 10);    // 9.5
  CHECK(apply_qadd(p, 3, -6) == 10);    // 9.75
  CHECK(apply_qadd(p, 3, -8) == 9);     // 9.25
  CHECK(apply_qadd(p, -40, -5) == -11);  // -11.5: half up (half away from zero would be -12)
  CHECK(apply_qadd(p, -41, -6) == -12);  // -12.25
  CHECK(apply_qadd(p, -60, -60) == -20);  // -35.25 clamps to the low end
  CHECK(apply_qadd(p, 127, 127) == 100);  // 105 clamps to the high end
  CHECK(apply_qadd(p, 100, 90) == 82);    // 48.5 + 23.75 + 10 = 82.25

  // ratios 1.5 and 1: 1.5 * 2^15 does not fit, S = 14; zero output point -3
  p = one_rounding(1.5f, 0, 1.f, 0, 1.f, -3);
  REQUIRE(p.sum_shift == 14);
  CHECK(p.a_m16 == 24576);
  CHECK(p.b_m16 == 16384);
  CHECK(p.sum_bias == 8192 - 3 * 16384);
  CHECK(apply_qadd(p, 100, 50) == 127);     // 197 saturates
  CHECK(apply_qadd(p, -100, -50) == -128);  // -203 saturates
  CHECK(apply_qadd(p, 1, -2) == -3);        // -3.5
  CHECK(apply_qadd(p, 1, 1) == 0);          // -0.5
  CHECK(apply_qadd(p, -7, 4) == -9);        // -9.5
  CHECK(apply_qadd(p, -8, 4) == -11);       // -11
  CHECK(apply_qadd(p, 83, 0) == 122);       // 121.5

  for (const QBinaryParams &q : {one_rounding(0.5f, 3, 0.25f, -5, 1.f, 10, -20, 100), p})
    for (int32_t a = -128; a < 128; ++a)
      for (int32_t b = -128; b < 128; ++b) REQUIRE(apply_qadd(q, a, b) == formula(q, a, b));
}

TEST_CASE("one-rounding Add falls back to fixed point where it is not precise enough", "[int8][add]") {
  // the largest ratio must stay below 16 (S >= 11): 15 gives S = 11, 20 would give S = 10
  QBinaryParams p = one_rounding(15.f, 0, 1.f, 0, 1.f, 0);
  CHECK(p.sum_shift == 11);
  CHECK(p.a_m16 == 30720);
  for (float big : {20.f, 1000.f, 20000.f, 1e6f}) {
    INFO(big);
    p = one_rounding(big, 0, 1.f, 0, 1.f, 0);
    CHECK(p.sum_shift == 0);
    CHECK(p.left_shift == 20);
    CHECK(p.a_multiplier > 0);
  }
  // capped at S = 22: ratio 2^-9 keeps 13 bits (8192), 2^-10 would keep 12
  p = one_rounding(1.f, 0, 1.f, 0, 512.f, 0);
  CHECK(p.sum_shift == 22);
  CHECK(p.a_m16 == 8192);
  p = one_rounding(1.f, 0, 1.f, 0, 1024.f, 0);
  CHECK(p.sum_shift == 0);
  CHECK(p.left_shift == 20);
  // a multiplier that rounds to 0: its operand moves the exact sum by less than 1/16 of a step
  p = one_rounding(1.f, 0, 1e-6f, 0, 1.f, 0);
  CHECK(p.sum_shift == 14);
  CHECK(p.b_m16 == 0);
  // the fixed and float modes (imported models, attribute 0 or 1) stay what they are
  const QuantParams a = per_tensor_quant(0.5f, 3), b = per_tensor_quant(0.25f, -5), y = per_tensor_quant(1.f, 10);
  p = make_qadd_params(a, b, y, RequantMode::Fixed, -128, 127);
  CHECK(p.sum_shift == 0);
  CHECK(p.left_shift == 20);
  p = make_qadd_params(a, b, y, RequantMode::Float, -128, 127);
  CHECK(p.sum_shift == 0);
  CHECK(p.a_ratio == 0.5f);
  CHECK(apply_qadd(p, 4, -5) == 10);  // 10.5 half to even
}

TEST_CASE("one-rounding Add is within 1 of the exact sum rounded, and equal away from ties", "[int8][add]") {
  for (const Scales &s : kSets) {
    const QBinaryParams p = one_rounding(s.sa, s.za, s.sb, s.zb, s.sy, s.zy, s.lo, s.hi);
    INFO("scales " << s.sa << " " << s.sb << " " << s.sy << ", S " << p.sum_shift);
    REQUIRE(p.sum_shift >= 11);
    const double ra = double(s.sa) / double(s.sy), rb = double(s.sb) / double(s.sy);
    int64_t off_by_one = 0;
    for (int32_t a = -128; a < 128; ++a)
      for (int32_t b = -128; b < 128; ++b) {
        const double exact = ra * (a - s.za) + rb * (b - s.zb) + s.zy;
        const double rounded = exact < 0 ? -std::floor(-exact + 0.5) : std::floor(exact + 0.5);
        const int32_t want = int32_t(std::min(std::max(rounded, double(s.lo)), double(s.hi)));
        const int32_t got = apply_qadd(p, a, b);
        const double to_tie = std::abs(exact - std::floor(exact) - 0.5);
        INFO("a " << a << " b " << b << " exact " << exact);
        REQUIRE(std::abs(got - want) <= 1);
        if (to_tie > 0.125) REQUIRE(got == want);
        off_by_one += got != want;
      }
    CHECK(off_by_one < 65536 / 8);
  }
}

TEST_CASE("microtc's quantizer asks for the one-rounding Add on Add, not on Mul", "[int8][add]") {
  onnx::ModelProto m = empty_onnx_model("add_mul");
  auto *g = m.mutable_graph();
  for (const char *name : {"x", "z"}) {
    auto *in = g->add_input();
    in->set_name(name);
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : {int64_t(1), int64_t(4), int64_t(6)}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  for (const char *op : {"Add", "Mul"}) {
    auto *n = g->add_node();
    n->set_op_type(op);
    n->set_name(op);
    n->add_input("x");
    n->add_input("z");
    n->add_output(op);
    g->add_output()->set_name(op);
  }
  SweepModel q = quantize_model(m.SerializeAsString(), 3);
  const Node *add = find_node(q.graph, "Add"), *mul = find_node(q.graph, "Mul");
  REQUIRE(add);
  REQUIRE(mul);
  CHECK(add->op == "QAdd");
  CHECK(add->attrs.get_int("requant", -1) == 2);
  CHECK(make_qadd_params(q.graph, *add).sum_shift > 0);
  CHECK(mul->op == "QMul");
  CHECK(mul->attrs.get_int("requant", -1) == 0);
}

TEST_CASE("one-rounding Add: every engine gives the formula's bytes for all 256 x 256 operand pairs",
          "[int8][add][qemu]") {
  // One int8 graph: per parameter set, two inputs holding every pair (output element i: a = i / 256
  // - 128, b = i % 256 - 128) and a QAdd. One more Add of 1027 elements takes the DSP loop's tail
  // (n % 4 = 3), and one of a [256, 1] and a [1, 256] operand the broadcasting element path.
  SweepModel model;
  Graph &g = model.graph;
  std::vector<Value> item;
  std::vector<QBinaryParams> params;
  std::vector<int64_t> sizes;
  auto int8_tensor = [&](const std::string &name, const Shape &shape, float scale, int32_t zp) {
    const TensorId t = g.add_tensor(name, DType::I8);
    g.tensor(t).shape = shape;
    g.tensor(t).shape_known = true;
    g.tensor(t).quant = per_tensor_quant(scale, zp);
    return t;
  };
  auto add_set = [&](const Scales &s, const Shape &a_shape, const Shape &b_shape, const Shape &y_shape) {
    const std::string tag = std::to_string(params.size());
    const TensorId a = int8_tensor("a" + tag, a_shape, s.sa, s.za), b = int8_tensor("b" + tag, b_shape, s.sb, s.zb);
    const TensorId y = int8_tensor("y" + tag, y_shape, s.sy, s.zy);
    Node n;
    n.op = "QAdd";
    n.name = "add" + tag;
    n.attrs.set("requant", int64_t(2));
    if (s.lo > -128 || s.hi < 127)  // the clamp as a fused Clip in real values
      set_fused_activation(n.attrs, {"Clip", s.sy * float(s.lo - s.zy), s.sy * float(s.hi - s.zy)});
    n.inputs = {a, b};
    n.outputs = {y};
    g.nodes.push_back(n);
    g.inputs.push_back(a);
    g.inputs.push_back(b);
    g.outputs.push_back(y);
    const bool broadcast = a_shape != b_shape;
    Value va(DType::I8, a_shape), vb(DType::I8, b_shape);
    for (int64_t i = 0; i < va.elements(); ++i) va.data<int8_t>()[i] = int8_t((broadcast ? i : (i >> 8) & 255) - 128);
    for (int64_t i = 0; i < vb.elements(); ++i) vb.data<int8_t>()[i] = int8_t((i & 255) - 128);
    item.push_back(std::move(va));
    item.push_back(std::move(vb));
    sizes.push_back(shape_elements(y_shape));
    params.push_back(make_qadd_params(g, n));
    REQUIRE(params.back().sum_shift > 0);
    REQUIRE(params.back().out.act_min == s.lo);
    REQUIRE(params.back().out.act_max == s.hi);
  };
  for (const Scales &s : kSets) add_set(s, {256, 256}, {256, 256}, {256, 256});
  add_set(kSets[1], {1, 1027}, {1, 1027}, {1, 1027});
  add_set(kSets[6], {256, 1}, {1, 256}, {256, 256});
  infer_and_fold(g);
  verify_graph(g);
  model.batch = {item};

  std::vector<Value> want;
  for (size_t k = 0; k < params.size(); ++k) {
    Value v(DType::I8, {sizes[k]});
    for (int64_t i = 0; i < sizes[k]; ++i)
      v.data<int8_t>()[i] = int8_t(formula(params[k], int32_t((i >> 8) & 255) - 128, int32_t(i & 255) - 128));
    want.push_back(std::move(v));
  }
  std::vector<EngineOutputs> engines = run_all_engines(model);
  engines.push_back({"evaluator", {evaluate_graph(g, item)}});
  for (const EngineOutputs &e : engines) {
    INFO("engine: " << e.name);
    REQUIRE(e.outputs.size() == 1);
    REQUIRE(e.outputs[0].size() == want.size());
    for (size_t k = 0; k < want.size(); ++k) {
      INFO("parameter set " << k);
      CHECK(e.outputs[0][k].bytes == want[k].bytes);
    }
  }
}
