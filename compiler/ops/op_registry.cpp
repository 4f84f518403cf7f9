// The operator table and the generic parts of shape inference.
#include "ops/op.h"

#include <algorithm>

namespace mtc {

const Tensor &InferContext::input(size_t i) const {
  if (!has_input(i)) fail("input " + std::to_string(i) + " is missing");
  return g_.tensor(n_.inputs[i]);
}

const Value *InferContext::const_input(size_t i) const {
  if (!has_input(i)) return nullptr;
  const Tensor &t = g_.tensor(n_.inputs[i]);
  return t.constant ? &*t.constant : nullptr;
}

const Value &InferContext::require_const(size_t i, const char *what) const {
  const Value *v = const_input(i);
  if (!v)
    fail(std::string("its ") + what + " (input " + std::to_string(i) + ", " +
         g_.describe_tensor(n_.inputs[i]) +
         ") is computed at run time; " + kNeedsConstant + " so that every shape is static");
  return *v;
}

void InferContext::set_output(size_t i, DType t, Shape s) {
  if (i >= n_.outputs.size() || n_.outputs[i] == kNoTensor) return;
  Tensor &out = g_.tensor(n_.outputs[i]);
  shape_elements(s, g_.describe_tensor(n_.outputs[i]) + " (output of " + g_.describe(n_) + ")");
  out.dtype = t;
  out.shape = std::move(s);
  out.shape_known = true;
}

void InferContext::set_output_constant(size_t i, Value v) {
  set_output(i, v.dtype, v.shape);
  if (i < n_.outputs.size() && n_.outputs[i] != kNoTensor) g_.tensor(n_.outputs[i]).constant = std::move(v);
}

void InferContext::fail(const std::string &why) const {
  throw CompileError(g_.describe(n_) + ": " + why);
}

void EvalContext::fail(const std::string &why) const {
  throw CompileError(g_.describe(n_) + ": " + why);
}

OpRegistry &OpRegistry::instance() {
  static OpRegistry registry;
  return registry;
}

void OpRegistry::add(OpDef def) { defs_.push_back(std::move(def)); }

const OpDef *OpRegistry::find(const std::string &name) const {
  for (const OpDef &d : defs_)
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<std::string> OpRegistry::names() const {
  std::vector<std::string> out;
  for (const OpDef &d : defs_) out.push_back(d.name);
  std::sort(out.begin(), out.end());
  return out;
}

void infer_node(Graph &g, Node &n) {
  const OpDef *def = OpRegistry::instance().find(n.op);
  if (!def) throw CompileError(g.describe(n) + ": operator is not supported by microtc");
  InferContext ctx(g, n);
  int nin = int(n.inputs.size());
  while (nin > 0 && n.inputs[size_t(nin - 1)] == kNoTensor) --nin;
  if (nin < def->min_inputs || (def->max_inputs >= 0 && nin > def->max_inputs))
    ctx.fail("has " + std::to_string(nin) + " inputs; expected " + std::to_string(def->min_inputs) +
             (def->max_inputs < 0 ? " or more" : " to " + std::to_string(def->max_inputs)));
  for (int i = 0; i < def->min_inputs; ++i)
    if (!n.has_input(size_t(i))) ctx.fail("required input " + std::to_string(i) + " is missing");
  int nout = int(n.outputs.size());
  if (nout < def->min_outputs || (def->max_outputs >= 0 && nout > def->max_outputs))
    ctx.fail("has " + std::to_string(nout) + " outputs; expected " + std::to_string(def->min_outputs) +
             (def->max_outputs < 0 ? " or more" : " to " + std::to_string(def->max_outputs)));
  for (size_t i = 0; i < n.inputs.size(); ++i)
    if (n.has_input(i) && !g.tensor(n.inputs[i]).shape_known)
      ctx.fail("the shape of its input " + g.describe_tensor(n.inputs[i]) + " is unknown");
  def->infer(ctx);
  for (TensorId o : n.outputs)
    if (o != kNoTensor && !g.tensor(o).shape_known)
      ctx.fail("shape inference did not determine " + g.describe_tensor(o));
}

int64_t node_macs(const Graph &g, const Node &n) {
  const OpDef *def = OpRegistry::instance().find(n.op);
  return def && def->macs ? def->macs(g, n) : 0;
}

}  // namespace mtc
