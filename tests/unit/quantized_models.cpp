#include "quantized_models.h"

#include <catch2/catch.hpp>

#include <fstream>

#include "codegen/kernels/kernel_select.h"
#include "driver/host_engine.h"
#include "eval/evaluator.h"
#include "driver/load_model.h"
#include "driver/qemu_engine.h"
#include "passes/pass.h"
#include "support/process.h"

namespace mtc::test {

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

void add_float_input(onnx::GraphProto *g, const std::string &name, const Shape &shape) {
  auto *in = g->add_input();
  in->set_name(name);
  auto *tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape) tt->mutable_shape()->add_dim()->set_dim_value(d);
}

void add_float_output(onnx::GraphProto *g, const std::string &name) {
  auto *out = g->add_output();
  out->set_name(name);
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
}

onnx::NodeProto *add_node(onnx::GraphProto *g, const std::string &op, const std::vector<std::string> &inputs,
                          const std::string &output) {
  auto *n = g->add_node();
  n->set_op_type(op);
  n->set_name(output);
  for (const std::string &i : inputs) n->add_input(i);
  n->add_output(output);
  return n;
}

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

Graph load_bytes(const std::string &bytes) {
  TempDir tmp("mtc-sweep-model");
  std::string path = tmp.path() + "/model.onnx";
  std::ofstream(path, std::ios::binary) << bytes;
  LoadOptions lo;
  lo.verify_each = true;
  return load_model(path, lo);
}

SweepModel quantize_model(const std::string &bytes, uint32_t seed, const QuantizeOptions &opts) {
  SweepModel m;
  m.graph = load_bytes(bytes);
  std::mt19937 rng(seed);
  std::vector<std::vector<Value>> calibration;
  for (int i = 0; i < 4; ++i) calibration.push_back(random_inputs(m.graph, rng, 1.f));
  m.report = quantize_graph(m.graph, calibration, opts);
  infer_and_fold(m.graph);
  verify_graph(m.graph);
  m.batch = {calibration[0], calibration[3], random_inputs(m.graph, rng, 1.5f)};
  return m;
}

std::vector<EngineOutputs> run_all_engines(const SweepModel &m) {
  std::vector<EngineOutputs> engines;
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
  return engines;
}

void check_engines_match_evaluator(const SweepModel &m) {
  std::vector<std::vector<Value>> ref;
  for (const auto &item : m.batch) ref.push_back(evaluate_graph(m.graph, item));
  for (const EngineOutputs &e : run_all_engines(m)) {
    INFO("engine: " << e.name);
    for (size_t b = 0; b < e.outputs.size(); ++b) {
      // the sanitized build runs the last item only
      const size_t item = e.outputs.size() == m.batch.size() ? b : m.batch.size() - 1;
      REQUIRE(e.outputs[b].size() == ref[item].size());
      for (size_t i = 0; i < ref[item].size(); ++i) {
        INFO("item " << item << " output " << i);
        CHECK(e.outputs[b][i].bytes == ref[item][i].bytes);
      }
    }
  }
}

const Node *find_node(const Graph &g, const std::string &name) {
  for (const Node &n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

std::string chosen_kernel(const Graph &g, const Node &n) {
  QConvPanel panel;
  if (n.op == "QGemm") return kFc;  // our quantizer's weights are symmetric: always the FC kernel
  if (n.op != "QConv") return "(not quantized: " + n.op + ")";
  if (qconv_uses_panel(g, n, panel)) return kPanel;
  return qconv_is_depthwise(g, n) ? kDepthwise : kGenericConv;
}

}  // namespace mtc::test
