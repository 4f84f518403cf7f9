// Graph-level driver of the reference evaluator.
#include "eval/evaluator.h"

#include "ops/op.h"

namespace mtc {

std::vector<Value> evaluate_node(const Graph &g, const Node &n, const std::vector<const Value *> &ins) {
  const OpDef *def = OpRegistry::instance().find(n.op);
  if (!def || !def->eval) throw CompileError(g.describe(n) + ": no reference evaluation for this operator");
  std::vector<Value> outs;
  outs.reserve(n.outputs.size());
  for (TensorId o : n.outputs) {
    if (o == kNoTensor) {
      outs.emplace_back();
      continue;
    }
    const Tensor &t = g.tensor(o);
    outs.emplace_back(t.dtype, t.shape);
  }
  std::vector<Value *> out_ptrs;
  for (Value &v : outs) out_ptrs.push_back(&v);
  EvalContext ctx(g, n, ins, out_ptrs);
  def->eval(ctx);
  return outs;
}

std::vector<Value> evaluate_graph(const Graph &g, const std::vector<Value> &inputs) {
  return evaluate_graph(g, inputs, nullptr);
}

std::vector<Value> evaluate_graph(const Graph &g, const std::vector<Value> &inputs, const TensorObserver &observe) {
  if (inputs.size() != g.inputs.size())
    throw CompileError("the model has " + std::to_string(g.inputs.size()) + " inputs but " +
                       std::to_string(inputs.size()) + " were given");
  std::vector<const Value *> env(g.tensors.size(), nullptr);
  std::vector<Value> storage(g.tensors.size());
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (g.tensors[t].constant) env[t] = &*g.tensors[t].constant;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor &t = g.tensor(g.inputs[i]);
    if (inputs[i].dtype != t.dtype || inputs[i].shape != t.shape)
      throw CompileError("input " + quote_name(t.name) + " expects " + dtype_name(t.dtype) +
                         shape_str(t.shape) + " but got " + dtype_name(inputs[i].dtype) +
                         shape_str(inputs[i].shape));
    env[size_t(g.inputs[i])] = &inputs[i];
    if (observe) observe(g.inputs[i], inputs[i]);
  }
  for (const Node &n : g.nodes) {
    std::vector<const Value *> ins;
    for (TensorId i : n.inputs) ins.push_back(i == kNoTensor ? nullptr : env[size_t(i)]);
    std::vector<Value> outs = evaluate_node(g, n, ins);
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      TensorId o = n.outputs[k];
      if (o == kNoTensor) continue;
      storage[size_t(o)] = std::move(outs[k]);
      env[size_t(o)] = &storage[size_t(o)];
      if (observe) observe(o, storage[size_t(o)]);
    }
  }
  std::vector<Value> result;
  for (TensorId o : g.outputs) result.push_back(*env[size_t(o)]);
  return result;
}

}  // namespace mtc
