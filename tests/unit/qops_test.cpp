// Hand-computed cases of the ONNX quantization operators with run-time parameters where the rounding
// (half to even), saturation, NaN handling and zero points matter, through both engines: the
// reference evaluator and generated C built on the host. The ONNX node tests cover few of these.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;

namespace {

struct Input {
  std::string name;
  int elem;  // onnx::TensorProto element type
  Value value;
};

Value make(DType t, Shape s, const std::vector<double> &v) {
  Value out(t, std::move(s));
  for (size_t i = 0; i < v.size(); ++i) out.set_f64(int64_t(i), v[i]);
  return out;
}

int onnx_type(DType t) {
  switch (t) {
  case DType::U8: return onnx::TensorProto::UINT8;
  case DType::I8: return onnx::TensorProto::INT8;
  case DType::I32: return onnx::TensorProto::INT32;
  default: return onnx::TensorProto::FLOAT;
  }
}

// A one-node model whose inputs are all graph inputs (so scales and zero points are run-time data).
// Empty names in `node_inputs` are omitted optional inputs.
std::string one_node_model(const std::string &op, int opset, const std::vector<std::string> &node_inputs,
                           const std::vector<std::pair<std::string, Value>> &inputs,
                           const std::vector<std::pair<std::string, DType>> &outputs,
                           const std::vector<std::pair<std::string, std::vector<int64_t>>> &int_attrs = {}) {
  onnx::ModelProto m = test::empty_onnx_model("qops", opset);
  auto *g = m.mutable_graph();
  auto *n = g->add_node();
  n->set_op_type(op);
  n->set_name(op);
  for (const auto &s : node_inputs) n->add_input(s);
  for (const auto &[name, values] : int_attrs) {
    auto *a = n->add_attribute();
    a->set_name(name);
    if (values.size() == 1 && name == "axis") {
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(values[0]);
    } else {
      a->set_type(onnx::AttributeProto::INTS);
      for (int64_t v : values) a->add_ints(v);
    }
  }
  for (const auto &[name, v] : inputs) {
    auto *vi = g->add_input();
    vi->set_name(name);
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx_type(v.dtype));
    auto *shape = tt->mutable_shape();
    for (int64_t d : v.shape) shape->add_dim()->set_dim_value(d);
  }
  for (const auto &[name, t] : outputs) {
    n->add_output(name);
    auto *vi = g->add_output();
    vi->set_name(name);
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(onnx_type(t));
  }
  return m.SerializeAsString();
}

// Runs the model through both engines and checks every output element for exact equality (floats
// compared by value, NaN equal to NaN).
void check_both_engines(const std::string &model, const std::vector<std::pair<std::string, Value>> &inputs,
                        const std::vector<Value> &expected) {
  std::vector<Value> in;
  for (const auto &p : inputs) in.push_back(p.second);
  auto [ref, c] = test::run_both_engines(model, in);
  REQUIRE(ref.size() == expected.size());
  REQUIRE(c.size() == expected.size());
  for (size_t o = 0; o < expected.size(); ++o) {
    for (const auto *got : {&ref[o], &c[o]}) {
      INFO("output " << o << (got == &ref[o] ? " (reference evaluator)" : " (generated C)"));
      REQUIRE(got->dtype == expected[o].dtype);
      REQUIRE(got->elements() == expected[o].elements());
      for (int64_t i = 0; i < expected[o].elements(); ++i) {
        INFO("element " << i);
        double a = got->get_f64(i), b = expected[o].get_f64(i);
        if (std::isnan(b))
          CHECK(std::isnan(a));
        else
          CHECK(a == b);
      }
    }
  }
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("QuantizeLinear rounds half to even, saturates and sends NaN to the low end", "[qops]") {
  // x / 0.5 gives the ties 0.5, 1.5, 2.5, -0.5, -1.5 exactly, then values beyond the int8 range.
  Value x = make(DType::F32, {10}, {0.25, 0.75, 1.25, -0.25, -0.75, 150, -150, kNaN, kInf, -kInf});
  Value scale = make(DType::F32, {}, {0.5});
  SECTION("int8, zero point 0") {
    Value zp = make(DType::I8, {}, {0});
    std::vector<std::pair<std::string, Value>> in = {{"x", x}, {"s", scale}, {"zp", zp}};
    check_both_engines(one_node_model("QuantizeLinear", 13, {"x", "s", "zp"}, in, {{"y", DType::I8}}), in,
                       {make(DType::I8, {10}, {0, 2, 2, 0, -2, 127, -128, -128, 127, -128})});
  }
  SECTION("uint8, zero point 10") {
    Value zp = make(DType::U8, {}, {10});
    std::vector<std::pair<std::string, Value>> in = {{"x", x}, {"s", scale}, {"zp", zp}};
    check_both_engines(one_node_model("QuantizeLinear", 13, {"x", "s", "zp"}, in, {{"y", DType::U8}}), in,
                       {make(DType::U8, {10}, {10, 12, 12, 10, 8, 255, 0, 0, 255, 0})});
  }
  SECTION("no zero point: uint8, opset 10") {
    std::vector<std::pair<std::string, Value>> in = {{"x", x}, {"s", scale}};
    check_both_engines(one_node_model("QuantizeLinear", 10, {"x", "s"}, in, {{"y", DType::U8}}), in,
                       {make(DType::U8, {10}, {0, 2, 2, 0, 0, 255, 0, 0, 255, 0})});
  }
  SECTION("per axis 0 with run-time scales and zero points") {
    Value x2 = make(DType::F32, {2, 3}, {0.5, 1.5, 2.5, 0.5, 1.5, 2.5});
    Value s2 = make(DType::F32, {2}, {1, 0.5});
    Value zp2 = make(DType::I8, {2}, {-1, 100});
    std::vector<std::pair<std::string, Value>> in = {{"x", x2}, {"s", s2}, {"zp", zp2}};
    // Row 0: round(0.5, 1.5, 2.5) - 1 = (-1, 1, 1); row 1: x / 0.5 + 100 = (101, 103, 105).
    check_both_engines(
        one_node_model("QuantizeLinear", 13, {"x", "s", "zp"}, in, {{"y", DType::I8}}, {{"axis", {0}}}), in,
        {make(DType::I8, {2, 3}, {-1, 1, 1, 101, 103, 105})});
  }
}

TEST_CASE("DequantizeLinear per axis, uint8 and int32", "[qops]") {
  SECTION("uint8 per axis 1") {
    Value x = make(DType::U8, {2, 2}, {0, 255, 10, 128});
    Value s = make(DType::F32, {2}, {0.5, 0.25});
    Value zp = make(DType::U8, {2}, {10, 128});
    std::vector<std::pair<std::string, Value>> in = {{"x", x}, {"s", s}, {"zp", zp}};
    check_both_engines(one_node_model("DequantizeLinear", 13, {"x", "s", "zp"}, in, {{"y", DType::F32}}), in,
                       {make(DType::F32, {2, 2}, {-5, 31.75, 0, 0})});
  }
  SECTION("int32 without zero point") {
    Value x = make(DType::I32, {3}, {-2147483647.0 - 1, 3, 2147483647.0});
    Value s = make(DType::F32, {}, {2});
    std::vector<std::pair<std::string, Value>> in = {{"x", x}, {"s", s}};
    check_both_engines(one_node_model("DequantizeLinear", 10, {"x", "s"}, in, {{"y", DType::F32}}), in,
                       {make(DType::F32, {3}, {-4294967296.0, 6, 4294967296.0})});
  }
}

TEST_CASE("DynamicQuantizeLinear includes 0 in the range and rounds the zero point half to even", "[qops]") {
  SECTION("zero point 1.5 rounds to 2") {
    // Range [-1.5, 253.5]: scale exactly 1, zero point 0 - (-1.5) = 1.5 -> 2.
    Value x = make(DType::F32, {5}, {-1.5, 253.5, 0.5, 2.5, 1.0});
    std::vector<std::pair<std::string, Value>> in = {{"x", x}};
    check_both_engines(
        one_node_model("DynamicQuantizeLinear", 11, {"x"}, in,
                       {{"y", DType::U8}, {"s", DType::F32}, {"zp", DType::U8}}),
        in, {make(DType::U8, {5}, {0, 255, 2, 4, 3}), make(DType::F32, {}, {1}), make(DType::U8, {}, {2})});
  }
  SECTION("all positive: the range still starts at 0") {
    Value x = make(DType::F32, {4}, {0.5, 1.5, 127.5, 255});
    std::vector<std::pair<std::string, Value>> in = {{"x", x}};
    check_both_engines(
        one_node_model("DynamicQuantizeLinear", 11, {"x"}, in,
                       {{"y", DType::U8}, {"s", DType::F32}, {"zp", DType::U8}}),
        in, {make(DType::U8, {4}, {0, 2, 128, 255}), make(DType::F32, {}, {1}), make(DType::U8, {}, {0})});
  }
}

TEST_CASE("MatMulInteger with per-row and per-column zero points", "[qops]") {
  Value a = make(DType::U8, {2, 2}, {1, 2, 3, 4});
  Value b = make(DType::I8, {2, 3}, {1, 0, -1, 2, 1, 0});
  Value azp = make(DType::U8, {2}, {1, 2});
  Value bzp = make(DType::I8, {3}, {0, 1, -1});
  // A - azp = [[0, 1], [1, 2]]; B - bzp = [[1, -1, 0], [2, 0, 1]].
  std::vector<std::pair<std::string, Value>> in = {{"a", a}, {"b", b}, {"azp", azp}, {"bzp", bzp}};
  check_both_engines(one_node_model("MatMulInteger", 10, {"a", "b", "azp", "bzp"}, in, {{"y", DType::I32}}),
                     in, {make(DType::I32, {2, 3}, {2, 0, 1, 5, -1, 2})});
}

TEST_CASE("ConvInteger pads with the input zero point and takes per-channel weight zero points", "[qops]") {
  Value x = make(DType::U8, {1, 1, 2, 2}, {1, 2, 3, 4});
  Value w = make(DType::I8, {2, 1, 2, 2}, {1, 1, 1, 1, 3, 1, 1, 1});
  Value xzp = make(DType::U8, {}, {1});
  Value wzp = make(DType::I8, {2}, {0, 1});
  // x - 1 = [[0, 1], [2, 3]] padded with zeros; channel 0 sums 2x2 windows, channel 1 is 2 * top-left.
  std::vector<std::pair<std::string, Value>> in = {{"x", x}, {"w", w}, {"xzp", xzp}, {"wzp", wzp}};
  check_both_engines(
      one_node_model("ConvInteger", 10, {"x", "w", "xzp", "wzp"}, in, {{"y", DType::I32}},
                     {{"pads", {1, 1, 1, 1}}}),
      in, {make(DType::I32, {1, 2, 3, 3}, {0, 1, 1, 2, 6, 4, 2, 5, 3, 0, 0, 0, 0, 0, 2, 0, 4, 6})});
}
