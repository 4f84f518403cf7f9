// Import of already-quantized ONNX models: QOperator form (QLinearConv, QLinearMatMul and the
// com.microsoft QLinear ops, with uint8 activations) and QDQ form (int8). The fixtures and their
// expected outputs come from tests/fixtures/quantized/make_quantized_models.py, which computes them
// with numpy from the operator definitions; both engines must match them bit for bit.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <cstring>
#include <fstream>
#include <map>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"
#include "ops/activation.h"
#include "support/error.h"
#include "support/npy.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;

namespace {

std::string fixture(const std::string &name) { return test::source_path("tests/fixtures/quantized/" + name); }

Graph load(const std::string &path) {
  LoadOptions lo;
  lo.verify_each = true;
  return load_model(path, lo);
}

std::map<std::string, int> op_counts(const Graph &g) {
  std::map<std::string, int> counts;
  for (const Node &n : g.nodes) ++counts[n.op];
  return counts;
}

void require_bit_exact(const Value &got, const Value &want) {
  REQUIRE(got.dtype == want.dtype);
  REQUIRE(got.shape == want.shape);
  REQUIRE(got.bytes.size() == want.bytes.size());
  size_t mismatches = 0;
  std::vector<float> g = got.to_f32(), w = want.to_f32();
  for (size_t i = 0; i < g.size(); ++i)
    if (std::memcmp(&g[i], &w[i], sizeof(float)) != 0) {
      if (mismatches++ < 5) UNSCOPED_INFO("element " << i << ": got " << g[i] << ", want " << w[i]);
    }
  CHECK(mismatches == 0);
}

// Both engines against the numpy expectations (outputs y and y_add).
void check_against_numpy(const Graph &g, const std::string &prefix) {
  Value x = read_npy(fixture("input_x.npy"));
  std::vector<Value> want = {read_npy(fixture(prefix + "_expected_y.npy")),
                             read_npy(fixture(prefix + "_expected_add.npy"))};
  std::vector<Value> ref = evaluate_graph(g, {x});
  HostBuildOptions ho;
  ho.optimize = false;
  std::vector<Value> c = run_on_host(g, {{x}}, ho).at(0);
  REQUIRE(ref.size() == 2);
  REQUIRE(c.size() == 2);
  for (size_t o = 0; o < 2; ++o) {
    INFO("output " << o << " (reference evaluator)");
    require_bit_exact(ref[o], want[o]);
  }
  for (size_t o = 0; o < 2; ++o) {
    INFO("output " << o << " (generated C)");
    require_bit_exact(c[o], want[o]);
  }
}

onnx::ModelProto read_model(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  onnx::ModelProto m;
  REQUIRE(m.ParseFromIstream(&f));
  return m;
}

// Imports a modified model; returns the CompileError message ("" if it imported).
std::string import_error(const onnx::ModelProto &m) {
  TempDir tmp;
  std::string path = tmp.path() + "/model.onnx";
  {
    std::ofstream out(path, std::ios::binary);
    m.SerializeToOstream(&out);
  }
  try {
    load(path);
  } catch (const CompileError &e) {
    return e.what();
  }
  return "";
}

// Turns initializer `name` into a graph input (a run-time value).
void make_input(onnx::ModelProto &m, const std::string &name) {
  auto *inits = m.mutable_graph()->mutable_initializer();
  for (int i = 0; i < inits->size(); ++i)
    if (inits->Get(i).name() == name) {
      auto *vi = m.mutable_graph()->add_input();
      vi->set_name(name);
      vi->mutable_type()->mutable_tensor_type()->set_elem_type(inits->Get(i).data_type());
      vi->mutable_type()->mutable_tensor_type()->mutable_shape();
      inits->DeleteSubrange(i, 1);
      return;
    }
  FAIL("no initializer " << name);
}

}  // namespace

TEST_CASE("QDQ model becomes int8 ops with the file's parameters", "[qimport]") {
  Graph g = load(fixture("qdq_model.onnx"));
  std::map<std::string, int> ops = op_counts(g);
  CHECK(ops["QConv"] == 2);
  CHECK(ops["QAdd"] == 1);
  CHECK(ops["QGlobalAveragePool"] == 1);
  CHECK(ops["QGemm"] == 1);
  CHECK(ops["QuantizeLinear"] == 1);    // the float input
  CHECK(ops["DequantizeLinear"] == 2);  // the two float outputs
  // No float computation left: only the boundary conversions read or write float tensors.
  for (const Node &n : g.nodes) {
    if (n.op == "QuantizeLinear" || n.op == "DequantizeLinear") continue;
    for (TensorId t : n.inputs)
      if (t != kNoTensor && !g.tensor(t).is_constant()) CHECK(g.tensor(t).dtype == DType::I8);
    for (TensorId t : n.outputs) {
      INFO(g.describe(n));
      CHECK(g.tensor(t).dtype == DType::I8);
      CHECK(g.tensor(t).quant.has_value());
    }
  }
  // conv1's per-channel weight scales are the file's, not recomputed.
  for (const Node &n : g.nodes)
    if (n.op == "QConv" && n.name == "conv1") {
      const QuantParams &w = *g.tensor(n.inputs[1]).quant;
      CHECK(w.axis == 0);
      CHECK(w.scale == std::vector<float>{0.0031f, 0.0042f, 0.0027f, 0.0050f});
      CHECK(fused_activation(n.attrs).kind == "Relu");
    }
  check_against_numpy(g, "qdq");
}

TEST_CASE("QOperator model with uint8 activations runs int8 inside", "[qimport]") {
  Graph g = load(fixture("qoperator_model.onnx"));
  std::map<std::string, int> ops = op_counts(g);
  CHECK(ops["QConv"] == 2);
  CHECK(ops["QAdd"] == 1);
  CHECK(ops["QGlobalAveragePool"] == 1);
  CHECK(ops["QGemm"] == 1);
  // conv1 -> conv2 and conv1 -> add stay int8: no uint8 round trip between int8 ops.
  std::vector<int> producer = g.producers();
  for (const Node &n : g.nodes)
    if (n.op == "U8ToI8") {
      int p = producer[size_t(n.inputs[0])];
      CHECK((p < 0 || g.nodes[size_t(p)].op != "I8ToU8"));
    }
  check_against_numpy(g, "qoperator");
}

TEST_CASE("QOperator import needs constant parameters and NCHW pooling", "[qimport]") {
  onnx::ModelProto m = read_model(fixture("qoperator_model.onnx"));
  SECTION("a run-time scale is an error naming the node") {
    make_input(m, "w2_s");
    std::string err = import_error(m);
    CHECK_THAT(err, Catch::Contains("conv2") && Catch::Contains("w2_s") && Catch::Contains("not a constant"));
  }
  SECTION("channels_last pooling is refused") {
    for (auto &n : *m.mutable_graph()->mutable_node())
      if (n.op_type() == "QLinearGlobalAveragePool")
        for (auto &a : *n.mutable_attribute())
          if (a.name() == "channels_last") a.set_i(1);
    CHECK_THAT(import_error(m), Catch::Contains("gap") && Catch::Contains("channels_last"));
  }
}

// The ONNX node tests for the QOperator ops, run as the conformance runner runs them with frozen
// inputs (scales, zero points and weights bound as constants; only the first input is data), so
// they are checked here even where the runner does not yet claim operators lowered at import.
TEST_CASE("ONNX node tests for QLinearConv and QLinearMatMul pass through both engines", "[qimport]") {
  const std::string root = "/usr/share/libonnx-testdata/data/node/";
  for (const char *name : {"test_qlinearconv", "test_qlinearmatmul_2D", "test_qlinearmatmul_3D"}) {
    INFO(name);
    std::string dir = root + name;
    std::ifstream probe(dir + "/model.onnx");
    if (!probe) {
      WARN("ONNX node test data not installed: " << dir);
      continue;
    }
    onnx::ModelProto m = read_model(dir + "/model.onnx");
    LoadOptions lo;
    lo.verify_each = true;
    std::vector<Value> inputs;
    for (int i = 0; i < m.graph().input_size(); ++i)
      inputs.push_back(load_onnx_tensor_file(dir + "/test_data_set_0/input_" + std::to_string(i) + ".pb"));
    for (int i = 1; i < m.graph().input_size(); ++i) lo.import.frozen_inputs[m.graph().input(i).name()] = inputs[size_t(i)];
    Graph g = load_model(dir + "/model.onnx", lo);
    Value want = load_onnx_tensor_file(dir + "/test_data_set_0/output_0.pb");
    std::vector<Value> ref = evaluate_graph(g, {inputs[0]});
    HostBuildOptions ho;
    ho.optimize = false;
    std::vector<Value> c = run_on_host(g, {{inputs[0]}}, ho).at(0);
    REQUIRE(ref.size() == 1);
    REQUIRE(c.size() == 1);
    CHECK(ref[0].bytes == want.bytes);
    CHECK(c[0].bytes == want.bytes);
    CHECK(ref[0].dtype == DType::U8);
    CHECK(c[0].dtype == DType::U8);
  }
}
