// Plain (not quantized) 8-bit integer arithmetic through both engines, the reference evaluator and
// generated C built on the host, against hand-computed numpy results: Add/Sub/Mul wrap modulo 256,
// Div truncates toward zero with x / 0 = 0, Max/Min/Sum broadcast, Clip takes constant or run-time
// bounds. The ONNX node tests only cover small in-range uint8 values and default Clip bounds.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <fstream>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;

namespace {

Value make(DType t, Shape s, const std::vector<double> &v) {
  Value out(t, std::move(s));
  for (size_t i = 0; i < v.size(); ++i) out.set_f64(int64_t(i), v[i]);
  return out;
}

int onnx_type(DType t) { return t == DType::U8 ? onnx::TensorProto::UINT8 : onnx::TensorProto::INT8; }

struct OnnxNode {
  std::string op;
  std::vector<std::string> inputs;  // "" is an omitted optional input
  std::string output;
};

using Named = std::vector<std::pair<std::string, Value>>;

// A model of `nodes`; `inputs` are graph inputs (run-time data), `weights` initializers (constants).
std::string make_model(const std::vector<OnnxNode> &nodes, const Named &inputs, const Named &weights,
                       const std::string &output, DType out_type) {
  onnx::ModelProto m = test::empty_onnx_model("int8_arith");
  auto *g = m.mutable_graph();
  for (const OnnxNode &on : nodes) {
    auto *n = g->add_node();
    n->set_op_type(on.op);
    n->set_name(on.output);
    for (const auto &s : on.inputs) n->add_input(s);
    n->add_output(on.output);
  }
  for (const auto &[name, v] : inputs) {
    auto *vi = g->add_input();
    vi->set_name(name);
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx_type(v.dtype));
    auto *shape = tt->mutable_shape();
    for (int64_t d : v.shape) shape->add_dim()->set_dim_value(d);
  }
  for (const auto &[name, v] : weights) {
    auto *t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx_type(v.dtype));
    for (int64_t d : v.shape) t->add_dims(d);
    t->set_raw_data(std::string(v.bytes.begin(), v.bytes.end()));
  }
  auto *vo = g->add_output();
  vo->set_name(output);
  vo->mutable_type()->mutable_tensor_type()->set_elem_type(onnx_type(out_type));
  return m.SerializeAsString();
}

// Runs the model through both engines and requires every element to equal `expected`.
void check_both_engines(const std::string &model, const Named &inputs, const Value &expected) {
  std::vector<Value> in;
  for (const auto &p : inputs) in.push_back(p.second);
  auto [ref, c] = test::run_both_engines(model, in);
  REQUIRE(ref.size() == 1);
  REQUIRE(c.size() == 1);
  for (const auto *got : {&ref[0], &c[0]}) {
    INFO((got == &ref[0] ? "reference evaluator" : "generated C"));
    REQUIRE(got->dtype == expected.dtype);
    REQUIRE(got->shape == expected.shape);
    for (int64_t i = 0; i < expected.elements(); ++i) {
      INFO("element " << i);
      CHECK(got->get_f64(i) == expected.get_f64(i));
    }
  }
}

void check_binary(const std::string &op, DType t, const std::vector<double> &a, const std::vector<double> &b,
                  const std::vector<double> &want) {
  INFO(op << " " << dtype_name(t));
  Named in = {{"a", make(t, {int64_t(a.size())}, a)}, {"b", make(t, {int64_t(b.size())}, b)}};
  check_both_engines(make_model({{op, {"a", "b"}, "y"}}, in, {}, "y", t), in,
                     make(t, {int64_t(want.size())}, want));
}

}  // namespace

TEST_CASE("uint8 Add/Sub/Mul wrap modulo 256 and Div truncates with x / 0 = 0", "[int8_arith]") {
  check_binary("Add", DType::U8, {200, 255, 1}, {100, 1, 2}, {44, 0, 3});
  check_binary("Sub", DType::U8, {1, 0, 200}, {2, 255, 100}, {255, 1, 100});
  check_binary("Mul", DType::U8, {255, 16, 3}, {255, 16, 5}, {1, 0, 15});
  check_binary("Div", DType::U8, {7, 255, 9, 4}, {2, 0, 3, 255}, {3, 0, 3, 0});
  // A broadcast scalar operand takes the kernel's scalar path.
  check_binary("Add", DType::U8, {250, 3, 6}, {10}, {4, 13, 16});
}

TEST_CASE("int8 Add/Sub/Mul wrap modulo 256 and Div truncates toward zero", "[int8_arith]") {
  check_binary("Add", DType::I8, {100, -128, 5}, {100, -1, -7}, {-56, 127, -2});
  check_binary("Sub", DType::I8, {-128, 127, 0}, {1, -1, -128}, {127, -128, -128});
  check_binary("Mul", DType::I8, {-128, 16, -3}, {-1, 16, 5}, {-128, 0, -15});
  // -128 / -1 = 128 wraps to -128; x / 0 = 0.
  check_binary("Div", DType::I8, {-7, 7, -128, 5, -128}, {2, -2, -1, 0, 127}, {-3, -3, -128, 0, -1});
}

TEST_CASE("int8/uint8 Max, Min and Sum over three broadcast inputs", "[int8_arith]") {
  auto check = [](const std::string &op, DType t, const std::vector<double> &want) {
    INFO(op << " " << dtype_name(t));
    bool s = t == DType::I8;
    Named in = {{"a", make(t, {3}, {s ? -128. : 0., 5, 0})},
                {"b", make(t, {1}, {s ? -3. : 200.})},
                {"c", make(t, {2, 1}, {s ? 1. : 255., s ? -100. : 1.})}};
    check_both_engines(make_model({{op, {"a", "b", "c"}, "y"}}, in, {}, "y", t), in, make(t, {2, 3}, want));
  };
  check("Max", DType::I8, {1, 5, 1, -3, 5, 0});
  check("Min", DType::I8, {-128, -3, -3, -128, -100, -100});
  check("Max", DType::U8, {255, 255, 255, 200, 200, 200});
  check("Min", DType::U8, {0, 5, 0, 0, 1, 0});
  // Sum wraps: -128 - 3 + 1 = -130 -> 126, -128 - 3 - 100 = -231 -> 25; 0 + 200 + 255 = 455 -> 199.
  check("Sum", DType::I8, {126, 3, -2, 25, -98, -103});
  check("Sum", DType::U8, {199, 204, 199, 201, 206, 201});
}

TEST_CASE("int8/uint8 Clip with constant, run-time, default and crossed bounds", "[int8_arith]") {
  Value x8 = make(DType::I8, {5}, {-128, -5, 0, 6, 127});
  SECTION("int8, constant bounds") {
    Named in = {{"x", x8}};
    Named w = {{"lo", make(DType::I8, {}, {-5})}, {"hi", make(DType::I8, {}, {5})}};
    check_both_engines(make_model({{"Clip", {"x", "lo", "hi"}, "y"}}, in, w, "y", DType::I8), in,
                       make(DType::I8, {5}, {-5, -5, 0, 5, 5}));
  }
  SECTION("int8, only a constant max") {
    Named in = {{"x", x8}};
    Named w = {{"hi", make(DType::I8, {}, {-6})}};
    check_both_engines(make_model({{"Clip", {"x", "", "hi"}, "y"}}, in, w, "y", DType::I8), in,
                       make(DType::I8, {5}, {-128, -6, -6, -6, -6}));
  }
  SECTION("uint8, run-time bounds") {
    Named in = {{"x", make(DType::U8, {4}, {0, 15, 255, 20})},
                {"lo", make(DType::U8, {}, {10})},
                {"hi", make(DType::U8, {}, {20})}};
    check_both_engines(make_model({{"Clip", {"x", "lo", "hi"}, "y"}}, in, {}, "y", DType::U8), in,
                       make(DType::U8, {4}, {10, 15, 20, 20}));
  }
  SECTION("int8, min above max: max wins (ONNX applies max last)") {
    Named in = {{"x", x8}, {"lo", make(DType::I8, {}, {3})}, {"hi", make(DType::I8, {}, {1})}};
    check_both_engines(make_model({{"Clip", {"x", "lo", "hi"}, "y"}}, in, {}, "y", DType::I8), in,
                       make(DType::I8, {5}, {1, 1, 1, 1, 1}));
  }
  SECTION("int8 Add then Clip: the Clip stays a node of its own (only float activations fuse)") {
    Named in = {{"a", x8}, {"b", make(DType::I8, {5}, {-1, 10, 3, 6, 1})}};
    Named w = {{"lo", make(DType::I8, {}, {-4})}, {"hi", make(DType::I8, {}, {8})}};
    // a + b = {127 (wrapped), 5, 3, 12, -128 (wrapped)}.
    check_both_engines(
        make_model({{"Add", {"a", "b"}, "s"}, {"Clip", {"s", "lo", "hi"}, "y"}}, in, w, "y", DType::I8), in,
        make(DType::I8, {5}, {8, 5, 3, 8, -4}));
  }
}
