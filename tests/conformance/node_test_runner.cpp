// A test is "claimed" when every operator in it is registered and its inputs/outputs use element
// types the generated C API handles; claimed tests must pass through both engines unless they are
// listed, with a reason, in expected_failures.txt.
#include "node_test_runner.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"
#include "frontends/onnx/onnx_importer.h"
#include "frontends/onnx/onnx_tensor.h"
#include "frontends/onnx/qlinear_import.h"
#include "ops/op.h"
#include "support/error.h"

namespace fs = std::filesystem;

namespace mtc {

std::string node_test_root() { return "/usr/share/libonnx-testdata/data/node"; }

std::vector<std::string> list_node_tests(const std::string &root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(root, ec))
    if (fs::exists(e.path() / "model.onnx")) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

bool claimed_dtype(DType t) {
  return t == DType::F32 || t == DType::I64 || t == DType::I32 || t == DType::Bool || t == DType::I8 ||
         t == DType::U8;
}

// Why the test is outside what microtc claims, or "" if it is claimed.
std::string unclaimed_reason(const std::string &model_path) {
  std::ifstream f(model_path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  onnx::ModelProto m;
  if (!m.ParseFromString(ss.str())) return "model does not parse";
  for (const auto &n : m.graph().node()) {
    if (is_qlinear_op(n.domain(), n.op_type())) continue;  // rewritten to int8 ops at import
    if (!n.domain().empty() && n.domain() != "ai.onnx") return "operator domain " + n.domain();
    if (n.op_type() != "Constant" && !OpRegistry::instance().find(n.op_type())) return "operator " + n.op_type();
  }
  auto check_types = [&](const auto &infos) -> std::string {
    for (const auto &vi : infos) {
      if (!vi.type().has_tensor_type()) return "non-tensor input/output";
      DType t = dtype_from_onnx(vi.type().tensor_type().elem_type());
      if (!claimed_dtype(t))
        return std::string("element type ") +
               onnx::TensorProto::DataType_Name(onnx::TensorProto::DataType(vi.type().tensor_type().elem_type()));
    }
    return "";
  };
  std::string r = check_types(m.graph().input());
  if (r.empty()) r = check_types(m.graph().output());
  return r;
}

std::string compare(const Value &got, const Value &want, const std::string &what) {
  if (got.dtype != want.dtype)
    return what + ": element type " + dtype_name(got.dtype) + ", expected " + dtype_name(want.dtype);
  if (got.elements() != want.elements() || (got.shape != want.shape && !want.shape.empty()))
    return what + ": shape " + shape_str(got.shape) + ", expected " + shape_str(want.shape);
  for (int64_t i = 0; i < want.elements(); ++i) {
    double a = got.get_f64(i), b = want.get_f64(i);
    if (std::isnan(a) && std::isnan(b)) continue;
    if (std::isinf(b) && a == b) continue;
    double tol = (want.dtype == DType::F32 || want.dtype == DType::F64) ? 1e-5 + 1e-4 * std::fabs(b) : 0.0;
    if (!(std::fabs(a - b) <= tol)) {
      std::ostringstream os;
      os << what << ": element " << i << " is " << a << ", expected " << b;
      return os.str();
    }
  }
  return "";
}

onnx::ModelProto read_model(const std::string &dir) {
  std::ifstream f(dir + "/model.onnx", std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  onnx::ModelProto m;
  m.ParseFromString(ss.str());
  return m;
}

std::vector<std::string> input_names(const std::string &dir) {
  std::vector<std::string> names;
  onnx::ModelProto m = read_model(dir);
  std::set<std::string> inits;
  for (const auto &t : m.graph().initializer()) inits.insert(t.name());
  for (const auto &vi : m.graph().input())
    if (!inits.count(vi.name())) names.push_back(vi.name());
  return names;
}

std::set<size_t> integer_inputs(const std::string &dir) {
  std::set<size_t> out;
  onnx::ModelProto m = read_model(dir);
  std::set<std::string> inits;
  for (const auto &t : m.graph().initializer()) inits.insert(t.name());
  size_t i = 0;
  for (const auto &vi : m.graph().input()) {
    if (inits.count(vi.name())) continue;
    int t = vi.type().tensor_type().elem_type();
    bool scalar = vi.type().tensor_type().has_shape() && vi.type().tensor_type().shape().dim_size() == 0;
    if (t == onnx::TensorProto::INT64 || t == onnx::TensorProto::INT32 || scalar) out.insert(i);
    ++i;
  }
  return out;
}

// Every input but the first: for operators whose weights or parameters microtc needs as constants
// (the quantization tests feed them as graph inputs).
std::set<size_t> all_but_first_input(const std::string &dir) {
  std::set<size_t> out;
  for (size_t i = 1; i < input_names(dir).size(); ++i) out.insert(i);
  return out;
}

bool needs_constant(const std::string &detail) {
  return detail.find(kNeedsConstant) != std::string::npos;
}

void run_data_sets(const std::string &dir, const std::set<size_t> &freeze, const NodeTestOptions &opts);

}  // namespace

NodeTestResult run_node_test(const std::string &dir, const NodeTestOptions &opts) {
  NodeTestResult r;
  r.name = fs::path(dir).filename().string();
  r.detail = unclaimed_reason(dir + "/model.onnx");
  if (!r.detail.empty()) return r;
  r.status = NodeTestStatus::Failed;
  try {
    r.frozen_inputs = false;
    run_data_sets(dir, {}, opts);
    r.status = NodeTestStatus::Passed;
  } catch (const std::exception &e) {
    r.detail = e.what();
  }
  // microtc needs static shapes: a test that feeds shape-determining data (Reshape's shape, Slice's
  // starts, Range's limits...) as a graph input is retried with its integer and scalar inputs bound
  // to the test's values.
  // If that is not enough (weights such as ConvInteger's w that a kernel needs at compile time), the
  // last try binds every input but the first.
  for (const std::set<size_t> &freeze : {integer_inputs(dir), all_but_first_input(dir)}) {
    if (r.status != NodeTestStatus::Failed || !needs_constant(r.detail)) break;
    try {
      r.frozen_inputs = true;
      run_data_sets(dir, freeze, opts);
      r.status = NodeTestStatus::Passed;
      r.detail.clear();
    } catch (const std::exception &e) {
      r.detail = e.what();
    }
  }
  return r;
}

namespace {

void run_data_sets(const std::string &dir, const std::set<size_t> &freeze, const NodeTestOptions &opts) {
  {
    std::vector<std::string> sets;
    for (const auto &e : fs::directory_iterator(dir))
      if (e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path().string());
    std::sort(sets.begin(), sets.end());
    if (sets.empty()) throw CompileError("no test data sets");
    for (const std::string &set : sets) {
      std::vector<Value> all_inputs, inputs, expected;
      for (size_t i = 0; fs::exists(set + "/input_" + std::to_string(i) + ".pb"); ++i)
        all_inputs.push_back(load_onnx_tensor_file(set + "/input_" + std::to_string(i) + ".pb"));
      LoadOptions lo;
      lo.verify_each = true;
      std::vector<std::string> names = input_names(dir);
      for (size_t i = 0; i < all_inputs.size(); ++i) {
        if (freeze.count(i) && i < names.size()) lo.import.frozen_inputs[names[i]] = all_inputs[i];
        else inputs.push_back(all_inputs[i]);
      }
      Graph g = load_model(dir + "/model.onnx", lo);
      for (size_t i = 0; fs::exists(set + "/output_" + std::to_string(i) + ".pb"); ++i)
        expected.push_back(load_onnx_tensor_file(set + "/output_" + std::to_string(i) + ".pb"));
      // Optional trailing inputs omitted by the test have no data file; model inputs must all be fed.
      if (inputs.size() != g.inputs.size())
        throw CompileError("test feeds " + std::to_string(inputs.size()) + " inputs, model has " +
                           std::to_string(g.inputs.size()));
      for (size_t i = 0; i < inputs.size(); ++i) inputs[i].shape = g.tensor(g.inputs[i]).shape;
      if (expected.size() != g.outputs.size()) throw CompileError("output count mismatch");
      std::vector<Value> ref = evaluate_graph(g, inputs);
      for (size_t o = 0; o < expected.size(); ++o) {
        std::string err = compare(ref[o], expected[o], "ref engine, output " + std::to_string(o));
        if (!err.empty()) throw CompileError(err);
      }
      if (opts.run_c) {
        HostBuildOptions ho;
        ho.sanitize = opts.sanitize;
        ho.optimize = false;
        std::vector<Value> c = run_on_host(g, {inputs}, ho).at(0);
        for (size_t o = 0; o < expected.size(); ++o) {
          std::string err = compare(c[o], expected[o], "c engine, output " + std::to_string(o));
          if (!err.empty()) throw CompileError(err);
        }
      }
    }
  }
}

}  // namespace

std::vector<ExpectedFailure> load_expected_failures(const std::string &path) {
  std::vector<ExpectedFailure> out;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    ExpectedFailure e;
    ss >> e.name;
    std::getline(ss, e.reason);
    size_t a = e.reason.find_first_not_of(" \t");
    e.reason = a == std::string::npos ? "" : e.reason.substr(a);
    out.push_back(e);
  }
  return out;
}

}  // namespace mtc
