// Elementwise activation operators: Relu, LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh, Clip.
// They share one shape rule (output = input) and the formulas in activation.cpp. Clip also takes
// int8/uint8 tensors (with bounds of the same type), evaluated here on integers.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops/activation.h"
#include "ops/op.h"

namespace mtc {

namespace {

// The activation a standalone node applies, with ONNX's defaults. Clip's bounds come from its
// optional constant inputs (opset >= 11; older forms are rewritten by the importer).
Activation node_activation(const Node &n, const std::vector<const Value *> &consts) {
  Activation a;
  a.kind = n.op;
  if (n.op == "LeakyRelu") a.alpha = n.attrs.get_float("alpha", 0.01f);
  if (n.op == "HardSigmoid") {
    a.alpha = n.attrs.get_float("alpha", 0.2f);
    a.beta = n.attrs.get_float("beta", 0.5f);
  }
  if (n.op == "Clip") {
    a.alpha = consts.size() > 1 && consts[1] ? float(consts[1]->get_f64(0)) : -INFINITY;
    a.beta = consts.size() > 2 && consts[2] ? float(consts[2]->get_f64(0)) : INFINITY;
  }
  return a;
}

void infer_same(InferContext &ctx) {
  DType t = ctx.in_dtype(0);
  if (ctx.node().op == "Clip")
    ctx.check(t == DType::F32 || t == DType::I8 || t == DType::U8,
              std::string("supports float32, int8 and uint8 only, not ") + dtype_name(t));
  else
    ctx.check(t == DType::F32, std::string("supports float32 only, not ") + dtype_name(t));
  for (size_t i = 1; i < ctx.num_inputs(); ++i)
    if (ctx.has_input(i)) {
      ctx.check(shape_elements(ctx.in_shape(i)) == 1, "min/max must be scalars");
      ctx.check(ctx.in_dtype(i) == t, std::string("min/max have type ") + dtype_name(ctx.in_dtype(i)) +
                                          ", the input has " + dtype_name(t));
    }
  ctx.set_output(0, ctx.in_dtype(0), ctx.in_shape(0));
}

// Clip on integers: bounds default to the type's range; min(max(x, lo), hi), so hi wins if lo > hi.
template <class T> void eval_int_clip(EvalContext &ctx) {
  T lo = ctx.has(1) ? ctx.in(1).data<T>()[0] : std::numeric_limits<T>::lowest();
  T hi = ctx.has(2) ? ctx.in(2).data<T>()[0] : std::numeric_limits<T>::max();
  const T *x = ctx.in(0).data<T>();
  T *y = ctx.out(0).data<T>();
  for (int64_t i = 0; i < ctx.in(0).elements(); ++i) y[i] = std::min(std::max(x[i], lo), hi);
}

void eval_activation(EvalContext &ctx) {
  if (ctx.in(0).dtype == DType::I8) return eval_int_clip<int8_t>(ctx);
  if (ctx.in(0).dtype == DType::U8) return eval_int_clip<uint8_t>(ctx);
  std::vector<const Value *> ins;
  for (size_t i = 0; i < ctx.node().inputs.size(); ++i) ins.push_back(ctx.has(i) ? &ctx.in(i) : nullptr);
  Activation a = node_activation(ctx.node(), ins);
  const float *x = ctx.in(0).data<float>();
  float *y = ctx.out(0).data<float>();
  for (int64_t i = 0; i < ctx.in(0).elements(); ++i) y[i] = apply_activation(a, x[i]);
}

OpDef activation_op(const char *name, int max_inputs = 1) {
  OpDef d;
  d.name = name;
  d.min_inputs = 1;
  d.max_inputs = max_inputs;
  d.infer = infer_same;
  d.eval = eval_activation;
  return d;
}

}  // namespace

// Exposed for the fusion pass and the emitter: the activation of a standalone node whose optional
// inputs are constant.
Activation standalone_activation(const Graph &g, const Node &n) {
  std::vector<const Value *> consts;
  for (size_t i = 0; i < n.inputs.size(); ++i)
    consts.push_back(n.has_input(i) && g.tensor(n.inputs[i]).constant ? &*g.tensor(n.inputs[i]).constant : nullptr);
  return node_activation(n, consts);
}

MTC_REGISTER_OP(activation_op("Relu"))
MTC_REGISTER_OP(activation_op("LeakyRelu"))
MTC_REGISTER_OP(activation_op("Sigmoid"))
MTC_REGISTER_OP(activation_op("HardSigmoid"))
MTC_REGISTER_OP(activation_op("HardSwish"))
MTC_REGISTER_OP(activation_op("Tanh"))
MTC_REGISTER_OP(activation_op("Clip", 3))

}  // namespace mtc
