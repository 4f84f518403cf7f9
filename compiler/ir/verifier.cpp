// Structural checks of the IR, run after import and (in tests) after every pass.
#include <cmath>

#include "ir/graph.h"
#include "support/error.h"

namespace mtc {

namespace {

bool is_quantizable(DType t) { return t == DType::I8 || t == DType::U8 || t == DType::I32; }

void verify_quant(const Graph &g, TensorId id) {
  const Tensor &t = g.tensor(id);
  if (!t.quant) return;
  const QuantParams &q = *t.quant;
  auto bad = [&](const std::string &why) {
    throw CompileError("IR verifier: quantization parameters of " + g.describe_tensor(id) + ": " + why);
  };
  if (!is_quantizable(t.dtype)) bad(std::string("element type ") + dtype_name(t.dtype) + " is not an integer type");
  if (q.scale.empty() || q.scale.size() != q.zero_point.size()) bad("scale and zero point counts differ");
  if (q.per_axis()) {
    if (size_t(q.axis) >= t.shape.size()) bad("axis " + std::to_string(q.axis) + " out of range");
    if (int64_t(q.scale.size()) != t.shape[size_t(q.axis)]) bad("one scale per slice along the axis expected");
  } else if (q.scale.size() != 1) {
    bad("per-tensor parameters need one scale");
  }
  int32_t lo = t.dtype == DType::U8 ? 0 : -128, hi = t.dtype == DType::U8 ? 255 : 127;
  for (size_t i = 0; i < q.scale.size(); ++i) {
    if (!(q.scale[i] > 0.f) || !std::isfinite(q.scale[i])) bad("scale must be positive and finite");
    if (t.dtype != DType::I32 && (q.zero_point[i] < lo || q.zero_point[i] > hi)) bad("zero point out of range");
  }
}

}  // namespace

void verify_graph(const Graph &g) {
  for (size_t t = 0; t < g.tensors.size(); ++t) verify_quant(g, TensorId(t));
  const size_t nt = g.tensors.size();
  std::vector<char> defined(nt, 0);
  auto check_id = [&](TensorId id, const std::string &where) {
    if (id < 0 || size_t(id) >= nt)
      throw CompileError("IR verifier: " + where + " refers to tensor id " + std::to_string(id) +
                         " out of range");
  };
  for (TensorId i : g.inputs) {
    check_id(i, "graph input");
    defined[size_t(i)] = 1;
  }
  for (size_t t = 0; t < nt; ++t)
    if (g.tensors[t].is_constant()) defined[t] = 1;
  for (const Node &n : g.nodes) {
    for (TensorId i : n.inputs) {
      if (i == kNoTensor) continue;
      check_id(i, g.describe(n));
      if (!defined[size_t(i)])
        throw CompileError("IR verifier: " + g.describe(n) + " reads " + g.describe_tensor(i) +
                           " before it is produced");
    }
    for (TensorId o : n.outputs) {
      if (o == kNoTensor) continue;
      check_id(o, g.describe(n));
      if (defined[size_t(o)])
        throw CompileError("IR verifier: " + g.describe_tensor(o) + " has more than one producer (" +
                           g.describe(n) + ")");
      defined[size_t(o)] = 1;
      const Tensor &t = g.tensor(o);
      if (!t.shape_known || t.dtype == DType::Undefined)
        throw CompileError("IR verifier: " + g.describe_tensor(o) + " produced by " + g.describe(n) +
                           " has no known type and shape");
    }
  }
  for (TensorId o : g.outputs) {
    check_id(o, "graph output");
    if (!defined[size_t(o)])
      throw CompileError("IR verifier: graph output " + g.describe_tensor(o) + " is never produced");
  }
}

}  // namespace mtc
