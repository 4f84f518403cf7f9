// In-place rules, checked against the runtime kernels: each listed kernel computes y[i] from x[i]
// (and, for binary ops, from the other operand) in one forward pass without restrict pointers.
#include "memory/in_place.h"

#include <set>
#include <string>

namespace mtc {

namespace {

// y[i] = f(x[i]) over input 0: mtc_activation_f32, mtc_clip_i8/u8, mtc_unary_f32, mtc_qlookup_s8,
// mtc_s8_to_u8 / mtc_u8_to_s8. Other inputs (Clip bounds, the QLookup table) are never aliased.
const std::set<std::string> &unary_ops() {
  static const std::set<std::string> ops = {
      "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Clip",  // activations.cpp
      "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Floor", "Ceil", "Erf", "Softplus", "Softsign",
      "Elu", "Selu", "Sin", "Cos", "Sign", "Round",  // unary_math.cpp
      "QLookup", "U8ToI8", "I8ToU8"};
  return ops;
}

// MTC_BINARY_LOOPS (mtc_binary_impl.h): row r of y is written from pa[i] and pb[i]; an operand with
// the output's full shape is read at the same index it is written, so it may be overwritten. A
// broadcast operand is re-read for later rows and must not be.
const std::set<std::string> &binary_ops() {
  static const std::set<std::string> ops = {"Add", "Sub", "Mul", "Div", "QAdd", "QMul"};
  return ops;
}

}  // namespace

bool node_can_run_in_place(const Graph &g, const Node &n, size_t input_index) {
  if (n.outputs.size() != 1 || n.outputs[0] == kNoTensor || input_index >= n.inputs.size()) return false;
  TensorId in = n.inputs[input_index];
  if (in == kNoTensor) return false;
  const Tensor &x = g.tensor(in), &y = g.tensor(n.outputs[0]);
  if (dtype_size(x.dtype) != dtype_size(y.dtype) || x.shape != y.shape) return false;
  if (unary_ops().count(n.op)) return input_index == 0;
  if (binary_ops().count(n.op)) return input_index < 2 && n.inputs.size() == 2;
  // mtc_qconv2d_s8_panel with a residual (input 3) reads residual[i] just before it writes y[i]
  if (n.op == "QConv") return input_index == 3;
  // Writes only the patch's elements of the tensor the earlier patches filled (input 1).
  if (n.op == "PatchPlace") return input_index == 1;
  return false;
}

}  // namespace mtc
