// int8 quantization: the compiler's int8 evaluator, the generated C on the host (plain and under
// ASan/UBSan) and on Cortex-M4/M7 under QEMU agree bit for bit on every fixture model, and the
// int8 models stay close to the float ones. Also the fixed-point rules against hand-computed values
// and the C runtime's implementation of them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "driver/qemu_engine.h"
#include "driver/quantize_options.h"
#include "eval/evaluator.h"
#include "passes/pass.h"
#include "quant/fixed_point.h"
#include "quant/quantize.h"
#include "quant/requant.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;

namespace {

const char *kModels[] = {"resnet_small", "kws_dscnn", "mbv2_tiny", "fc_autoencoder", "concat_se_hswish"};

struct QuantizedFixture {
  Graph float_graph, graph;
  std::vector<std::vector<Value>> batch;
  QuantizeReport report;
};

QuantizedFixture quantize_fixture(const std::string &name, Calibrator c = Calibrator::MinMax) {
  std::string base = test::source_path("tests/fixtures/models/" + name);
  LoadOptions lo;
  lo.verify_each = true;
  QuantizedFixture f{load_model(base + ".onnx", lo), {}, {}, {}};
  f.batch = read_calibration(base + ".input.npy", f.float_graph);
  f.graph = f.float_graph;
  QuantizeOptions qo;
  qo.calibrator = c;
  f.report = quantize_graph(f.graph, f.batch, qo);
  infer_and_fold(f.graph);
  verify_graph(f.graph);
  return f;
}

bool same_bytes(const Value &a, const Value &b) { return a.dtype == b.dtype && a.shape == b.shape && a.bytes == b.bytes; }

double cosine(const Value &a, const Value &b) {
  std::vector<float> x = a.to_f32(), y = b.to_f32();
  double xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < x.size(); ++i) xy += double(x[i]) * y[i], xx += double(x[i]) * x[i], yy += double(y[i]) * y[i];
  return xy / std::sqrt(xx * yy + 1e-30);
}

int count_op(const Graph &g, const std::string &op) {
  int n = 0;
  for (const Node &node : g.nodes) n += node.op == op;
  return n;
}

}  // namespace

TEST_CASE("fixed-point rules match hand-computed TFLite values", "[int8]") {
  int32_t q, s;
  quantize_multiplier(0.5, q, s);
  CHECK((q == (1 << 30) && s == 0));
  quantize_multiplier(1.0, q, s);
  CHECK((q == (1 << 30) && s == 1));
  quantize_multiplier(0.75, q, s);
  CHECK((q == 1610612736 && s == 0));
  quantize_multiplier(0.001, q, s);  // 0.001 = 0.512 * 2^-9
  CHECK((q == 1099511628 && s == -9));
  CHECK(saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN) == INT32_MAX);
  CHECK(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30) == (1 << 29));
  CHECK(saturating_rounding_doubling_high_mul(3, 1 << 30) == 2);    // 1.5 -> 2
  CHECK(saturating_rounding_doubling_high_mul(-3, 1 << 30) == -1);  // ties go up (gemmlowp), -1.5 -> -1
  CHECK(rounding_divide_by_pot(3, 1) == 2);
  CHECK(rounding_divide_by_pot(-3, 1) == -2);
  CHECK(rounding_divide_by_pot(5, 2) == 1);
  CHECK(rounding_divide_by_pot(-6, 2) == -2);
  CHECK(rounding_divide_by_pot(-5, 2) == -1);
  // 1000 * 0.001 = 1; 1500 * 0.001 = 1.5 -> 2; -1500 * 0.001 -> -2
  quantize_multiplier(0.001, q, s);
  CHECK(requantize_fixed(1000, q, s) == 1);
  CHECK(requantize_fixed(1500, q, s) == 2);
  CHECK(requantize_fixed(-1500, q, s) == -2);
  // one-rounding high multiply: round(acc * m / 2^32), ties upward
  int32_t mh = -1;
  CHECK((quantize_multiplier_mulhigh(0.25, mh) && mh == (1 << 30)));
  CHECK(requantize_mulhigh(2, mh) == 1);    // 0.5 -> 1
  CHECK(requantize_mulhigh(-2, mh) == 0);   // -0.5 -> 0
  CHECK(requantize_mulhigh(6, mh) == 2);    // 1.5 -> 2
  CHECK(requantize_mulhigh(-6, mh) == -1);  // -1.5 -> -1
  CHECK(requantize_mulhigh(-7, mh) == -2);  // -1.75 -> -2
  CHECK(requantize_mulhigh(INT32_MIN, mh) == -(1 << 29));
  CHECK((quantize_multiplier_mulhigh(0.001, mh) && mh == 4294967));  // round(0.001 * 2^32)
  CHECK(requantize_mulhigh(1000, mh) == 1);
  CHECK(requantize_mulhigh(-1000, mh) == -1);
  CHECK((quantize_multiplier_mulhigh(1.0 / 65536, mh) && mh == 65536));
  CHECK((quantize_multiplier_mulhigh(0.0, mh) && mh == 0));
  CHECK_FALSE(quantize_multiplier_mulhigh(0.5, mh));          // does not fit a positive int32
  CHECK_FALSE(quantize_multiplier_mulhigh(1e-6, mh));         // fewer than 16 significant bits
  CHECK_FALSE(quantize_multiplier_mulhigh(-0.1, mh));
  CHECK(round_half_even(2.5f) == 2.f);
  CHECK(round_half_even(-2.5f) == -2.f);
  CHECK(round_half_even(3.5f) == 4.f);
  CHECK(float_to_int_saturate(NAN, -128, 127) == -128);
  CHECK(float_to_int_saturate(1e10f, -128, 127) == 127);
}

TEST_CASE("the high-multiply mode applies where every channel's multiplier fits, fixed point elsewhere", "[int8]") {
  Graph g;
  Node n;
  n.op = "QConv";
  n.name = "conv";
  n.attrs.set("requant", int64_t(2));
  const QuantParams x = per_tensor_quant(0.5f, 3), y = per_tensor_quant(0.25f, -7);
  QuantParams w;
  w.axis = 0;
  w.scale = {0.01f, 0.002f};
  w.zero_point = {0, 0};
  Requant r = make_requant(g, n, x, w, y, DType::I8, 2);
  REQUIRE(r.mode == RequantMode::MulHigh);
  CHECK(r.multiplier == std::vector<int32_t>{int32_t(std::lround(0.5 * 0.01f / 0.25 * 4294967296.0)),
                                             int32_t(std::lround(0.5 * 0.002f / 0.25 * 4294967296.0))});
  CHECK(r.shift.empty());
  CHECK(r.apply(1000, 0) == 20 - 7);  // 1000 * 0.02 + zp
  CHECK(r.apply(-1000, 1) == -4 - 7);
  // one channel below 2^-16 (too few significant bits) or one at 0.5 and above: the whole layer
  // takes TFLite's fixed point
  w.scale = {0.01f, 1e-8f};
  CHECK(make_requant(g, n, x, w, y, DType::I8, 2).mode == RequantMode::Fixed);
  w.scale = {0.01f, 0.3f};
  Requant big = make_requant(g, n, x, w, y, DType::I8, 2);
  CHECK(big.mode == RequantMode::Fixed);
  CHECK(big.shift.size() == 2);
  // attribute 0 (imports, Add, pools) keeps fixed point whatever the scales
  n.attrs.set("requant", int64_t(0));
  w.scale = {0.01f, 0.002f};
  CHECK(make_requant(g, n, x, w, y, DType::I8, 2).mode == RequantMode::Fixed);
}

TEST_CASE("the C runtime's fixed-point and float rounding agree with the compiler's", "[int8]") {
  TempDir dir("mtc-int8-rules");
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> acc(-2000000, 2000000);
  std::uniform_real_distribution<double> mult(1e-6, 4.0);
  std::ostringstream c;
  c << "#include <stdio.h>\n#include \"mtc_quant.h\"\nint main(void) {\n";
  std::vector<int32_t> want;
  for (int i = 0; i < 400; ++i) {
    int32_t a = acc(rng), m, s;
    quantize_multiplier(mult(rng), m, s);
    float f = float(mult(rng));
    c << "  printf(\"%d %d\\n\", (int)mtc_requantize_fixed(" << a << ", " << m << ", " << s << "), "
      << "(int)mtc_requantize_float(" << a << ", " << std::hexfloat << f << std::defaultfloat << "f));\n";
    want.push_back(requantize_fixed(a, m, s));
    want.push_back(requantize_float(a, f));
  }
  // The kernels' shorter forms (mtc_requant_quick, mtc_requant_quick_s8) within their conditions:
  // m > 0, shift in [-23, -1], |acc| < 2^30; values near the limits and the rounding ties included.
  std::uniform_int_distribution<int32_t> wide(-(1 << 30) + 1, (1 << 30) - 1), exp_d(1, 23), zp_d(-128, 127);
  std::uniform_int_distribution<int32_t> m_d(1 << 30, INT32_MAX);
  std::vector<int32_t> accs;
  for (int i = 0; i < 300; ++i) accs.push_back(wide(rng));
  for (int32_t a : {0, 1, -1, (1 << 30) - 1, -(1 << 30) + 1, 1 << 22, -(1 << 22), 3 << 21, -(3 << 21)}) accs.push_back(a);
  for (size_t i = 0; i < accs.size(); ++i) {
    const int32_t a = accs[i], m = i % 7 == 0 ? (1 << 30) : m_d(rng), e = exp_d(rng), zp = zp_d(rng);
    const int32_t round = 1 << (e - 1), round_zp = round + zp * (1 << e);
    c << "  printf(\"%d %d\\n\", (int)mtc_requant_quick(" << a / 2 << ", " << m << ", " << round << ", " << e
      << "), (int)mtc_requant_quick_s8(" << a << ", " << m << ", " << round_zp << ", " << e << "));\n";
    want.push_back(requantize_fixed(a / 2, m, -e));
    want.push_back(std::clamp(requantize_fixed(a, m, -e) + zp, -128, 127));
  }
  // the high-multiply mode over the whole accumulator range, plain and saturated with a zero point
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX), mh_d(1 << 16, INT32_MAX);
  for (int i = 0; i < 300; ++i) {
    const int32_t a = i < 4 ? std::array<int32_t, 4>{INT32_MIN, INT32_MAX, 0, -1}[size_t(i)] : any(rng);
    const int32_t m = i % 5 == 0 ? INT32_MAX : mh_d(rng), zp = zp_d(rng);
    c << "  printf(\"%d %d\\n\", (int)mtc_requantize_mulhi(" << a << ", " << m << "), (int)mtc_requant_mulhi_s8(" << a
      << ", " << m << ", " << zp << "));\n";
    want.push_back(requantize_mulhigh(a, m));
    want.push_back(std::clamp(requantize_mulhigh(a, m) + zp, -128, 127));
  }
  // ties of the float path
  for (float t : {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f}) {
    c << "  printf(\"%d %d\\n\", (int)mtc_requantize_float(1, " << std::hexfloat << t << std::defaultfloat
      << "f), (int)mtc_requantize_float(-1, " << std::hexfloat << t << std::defaultfloat << "f));\n";
    want.push_back(requantize_float(1, t));
    want.push_back(requantize_float(-1, t));
  }
  c << "  return 0;\n}\n";
  std::ofstream(dir.path() + "/t.c") << c.str();
  ProcessResult b = run_process({"cc", "-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror",
                                 "-I" + test::source_path("runtime/include"), "-o", dir.path() + "/t", dir.path() + "/t.c"},
                                120);
  REQUIRE(b.exit_code == 0);
  ProcessResult r = run_process({dir.path() + "/t"}, 60);
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.output);
  std::vector<int32_t> got;
  int32_t v;
  while (in >> v) got.push_back(v);
  CHECK(got == want);
  CHECK(want[want.size() - 12] == 0);  // 0.5 -> 0 (half to even)
  CHECK(want[want.size() - 10] == 2);  // 1.5 -> 2
  CHECK(want[want.size() - 8] == 2);   // 2.5 -> 2
}

TEST_CASE("int8 models: evaluator and host C agree bit for bit, also under sanitizers", "[int8]") {
  for (const char *name : kModels) {
    INFO(name);
    QuantizedFixture f = quantize_fixture(name);
    CHECK(count_op(f.graph, "QConv") + count_op(f.graph, "QGemm") > 0);
    HostBuildOptions ho;
    std::vector<std::vector<Value>> c = run_on_host(f.graph, f.batch, ho);
    ho.sanitize = true;
    std::vector<std::vector<Value>> c_san = run_on_host(f.graph, {f.batch[0]}, ho);
    for (size_t b = 0; b < f.batch.size(); ++b) {
      std::vector<Value> ref = evaluate_graph(f.graph, f.batch[b]);
      std::vector<Value> flt = evaluate_graph(f.float_graph, f.batch[b]);
      CHECK(same_bytes(ref.at(0), c[b].at(0)));
      if (b == 0) CHECK(same_bytes(ref.at(0), c_san[0].at(0)));
      // Calibrated on these very samples: the int8 outputs must track the float ones closely.
      CHECK(cosine(ref.at(0), flt.at(0)) > 0.99);
    }
  }
}

TEST_CASE("int8 models: Cortex-M4 and M7 under QEMU agree bit for bit with the evaluator", "[int8][qemu]") {
  for (const char *name : kModels) {
    INFO(name);
    QuantizedFixture f = quantize_fixture(name);
    std::vector<std::vector<Value>> ref;
    for (auto &item : f.batch) ref.push_back(evaluate_graph(f.graph, item));
    for (const char *target : {"cortex-m4", "cortex-m7"}) {
      INFO(target);
      QemuOptions qo;
      qo.target = target;
      qo.plugin = MTC_QEMU_PLUGIN_PATH;
      QemuRun run = run_on_qemu(f.graph, f.batch, qo);
      REQUIRE(run.outputs.size() == f.batch.size());
      for (size_t b = 0; b < f.batch.size(); ++b) CHECK(same_bytes(run.outputs[b].at(0), ref[b].at(0)));
      REQUIRE(run.report.instructions_per_inference);
      CHECK(*run.report.instructions_per_inference > 0);
    }
  }
}

TEST_CASE("calibrators choose ranges and count saturation", "[int8]") {
  QuantizedFixture minmax = quantize_fixture("resnet_small", Calibrator::MinMax);
  QuantizedFixture pct = quantize_fixture("resnet_small", Calibrator::Percentile);
  QuantizedFixture mse = quantize_fixture("resnet_small", Calibrator::Mse);
  REQUIRE(!minmax.report.tensors.empty());
  uint64_t sat_minmax = 0, sat_pct = 0;
  for (const auto &t : minmax.report.tensors) {
    sat_minmax += t.saturated;
    CHECK(t.range_lo <= t.observed_min);
    CHECK(t.range_hi >= t.observed_max);
  }
  for (const auto &t : pct.report.tensors) {
    sat_pct += t.saturated;
    CHECK(t.saturated <= t.values / 10000 * 2 + 2);  // at most 0.01% per tail
  }
  CHECK(sat_minmax == 0);
  for (const auto &t : mse.report.tensors) CHECK(t.range_hi - t.range_lo <= t.observed_max - std::min(0.f, t.observed_min) + 1e-3f);
  for (auto *f : {&pct, &mse}) {
    std::vector<Value> ref = evaluate_graph(f->graph, f->batch[0]);
    std::vector<Value> c = run_on_host(f->graph, {f->batch[0]}, {}).at(0);
    CHECK(same_bytes(ref.at(0), c.at(0)));
  }
  (void)sat_pct;
}

TEST_CASE("int8 I/O (--io int8) exposes int8 buffers with the calibrated parameters", "[int8]") {
  QuantizedFixture f = quantize_fixture("kws_dscnn");
  Graph g = f.float_graph;
  QuantizeOptions qo;
  qo.int8_io = true;
  quantize_graph(g, f.batch, qo);
  infer_and_fold(g);
  verify_graph(g);
  const Tensor &in = g.tensor(g.inputs.at(0)), &out = g.tensor(g.outputs.at(0));
  REQUIRE(in.dtype == DType::I8);
  REQUIRE(out.dtype == DType::I8);
  REQUIRE(in.quant);
  REQUIRE(out.quant);
  CHECK(count_op(g, "QuantizeLinear") == 0);
  CHECK(count_op(g, "DequantizeLinear") == 0);
  // Quantize the float inputs by the published parameters; the int8 outputs, dequantized, must equal
  // the float-API model's outputs exactly (same graph inside).
  std::vector<std::vector<Value>> batch;
  for (auto &item : f.batch) {
    Value q(DType::I8, in.shape);
    const float *x = item[0].data<float>();
    for (int64_t i = 0; i < q.elements(); ++i) {
      float r = std::nearbyint(x[i] / in.quant->scale[0]) + float(in.quant->zero_point[0]);
      q.data<int8_t>()[i] = int8_t(std::fmin(127.f, std::fmax(-128.f, r)));
    }
    batch.push_back({q});
  }
  std::vector<std::vector<Value>> c = run_on_host(g, batch, {});
  for (size_t b = 0; b < batch.size(); ++b) {
    Value ref = evaluate_graph(g, batch[b]).at(0);
    CHECK(same_bytes(ref, c[b].at(0)));
    std::vector<float> fl = evaluate_graph(f.graph, f.batch[b]).at(0).to_f32();
    for (size_t i = 0; i < fl.size(); ++i)
      CHECK(fl[i] == (float(ref.data<int8_t>()[i]) - float(out.quant->zero_point[0])) * out.quant->scale[0]);
  }
}

TEST_CASE("imported QDQ and QOperator models: evaluator, host C and Cortex-M agree bit for bit", "[int8][qemu]") {
  for (const char *name : {"qdq_model", "qoperator_model"}) {
    INFO(name);
    Graph g = load_model(test::source_path(std::string("tests/fixtures/quantized/") + name + ".onnx"), {});
    Value x = read_npy(test::source_path("tests/fixtures/quantized/input_x.npy"));
    x.shape = g.tensor(g.inputs.at(0)).shape;
    std::vector<std::vector<Value>> batch = {{x}};
    std::vector<Value> ref = evaluate_graph(g, batch[0]);
    std::vector<Value> host = run_on_host(g, batch, {}).at(0);
    for (size_t o = 0; o < ref.size(); ++o) CHECK(same_bytes(ref[o], host.at(o)));
    for (const char *target : {"cortex-m4", "cortex-m7"}) {
      INFO(target);
      QemuOptions qo;
      qo.target = target;
      qo.plugin = MTC_QEMU_PLUGIN_PATH;
      QemuRun run = run_on_qemu(g, batch, qo);
      for (size_t o = 0; o < ref.size(); ++o) CHECK(same_bytes(ref[o], run.outputs.at(0).at(o)));
    }
  }
}
