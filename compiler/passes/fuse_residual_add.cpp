// A residual Add of an int8 convolution's result (QConv -> QAdd with an operand of the same shape)
// becomes part of the convolution: the panel kernel adds the other operand as it stores each
// output, so the convolution's result is never written to memory and the Add's loop over the
// tensor disappears. The fused QConv computes exactly what the two nodes did (the convolution's
// int8 result with its own parameters, then QAdd's arithmetic): quant/qbinary_params.h,
// fused_residual. Only convolutions the panel kernel runs are fused (it is the one kernel with
// the epilogue; codegen/kernels/kernel_select.h).
#include "passes/fuse_residual_add.h"

#include "codegen/kernels/kernel_select.h"
#include "passes/pass.h"
#include "quant/qbinary_params.h"
#include "quant/requant.h"

namespace mtc {

namespace {

// The operand index of `add` that a fusable convolution produces, or -1.
int fusable_operand(const Graph &g, const Node &add, const std::vector<int> &producer, const std::vector<int> &uses) {
  if (add.op != "QAdd" || add.inputs.size() != 2 || add.outputs.size() != 1 || !add.has_input(0) || !add.has_input(1))
    return -1;
  const Tensor &y = g.tensor(add.outputs[0]);
  if (y.dtype != DType::I8 || !y.quant) return -1;
  for (int j = 0; j < 2; ++j) {
    const TensorId t = add.inputs[size_t(j)], s = add.inputs[size_t(1 - j)];
    const Tensor &tt = g.tensor(t), &st = g.tensor(s);
    if (t == s || tt.shape != y.shape || st.shape != y.shape || st.dtype != DType::I8) continue;
    if (!tt.quant || tt.quant->per_axis() || !st.quant || st.quant->per_axis()) continue;
    const int p = producer[size_t(t)];
    if (p < 0 || uses[size_t(t)] != 1 || g.is_graph_output(t)) continue;
    const Node &conv = g.nodes[size_t(p)];
    QConvPanel panel;
    if (conv.op != "QConv" || conv.inputs.size() > 3 || conv.outputs.size() != 1 || !qconv_uses_panel(g, conv, panel))
      continue;
    return j;
  }
  return -1;
}

}  // namespace

int fuse_residual_adds(Graph &g) {
  const std::vector<int> producer = g.producers(), uses = g.use_counts();
  std::vector<char> drop(g.nodes.size(), 0);
  int fused = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node &add = g.nodes[i];
    const int j = fusable_operand(g, add, producer, uses);
    if (j < 0 || drop[size_t(producer[size_t(add.inputs[size_t(j)])])]) continue;
    const TensorId t = add.inputs[size_t(j)], s = add.inputs[size_t(1 - j)];
    Node &conv = g.nodes[size_t(producer[size_t(t)])];
    int32_t lo, hi;
    activation_range(g, add, *g.tensor(add.outputs[0]).quant, DType::I8, lo, hi);
    conv.inputs.resize(3, kNoTensor);
    conv.inputs.push_back(s);
    conv.attrs.set("conv_out_scale", g.tensor(t).quant->scale[0]);
    conv.attrs.set("conv_out_zero_point", int64_t(g.tensor(t).quant->zero_point[0]));
    conv.attrs.set("add_requant", int64_t(requant_mode(add)));  // 0 fixed, 1 float, 2 one rounding
    conv.attrs.set("add_min", int64_t(lo));
    conv.attrs.set("add_max", int64_t(hi));
    conv.outputs[0] = add.outputs[0];
    drop[i] = 1;
    ++fused;
  }
  if (!fused) return 0;
  std::vector<Node> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
  // the other operand may come later in the model's order; it never depends on the convolution
  // (whose result only the Add read)
  g.sort_topologically();
  return fused;
}

MTC_REGISTER_PASS({"fuse-residual-add", "int8 convolution + residual Add into one kernel call",
                   [](Graph &g, PassContext &) { fuse_residual_adds(g); }})

}  // namespace mtc
