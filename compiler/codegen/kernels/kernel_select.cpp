#include "codegen/kernels/kernel_select.h"

#include "memory/scratch.h"

namespace mtc {

bool qconv_uses_column(const Graph &g, const Node &n, int64_t &k4) {
  if (n.op != "QConv" || n.attrs.get_int("group", 1) != 1 || n.inputs.size() < 2) return false;
  const Tensor &w = g.tensor(n.inputs[1]);
  if (!w.quant || w.shape.size() < 3) return false;
  for (int32_t z : w.quant->zero_point)
    if (z != 0) return false;
  int64_t k = shape_elements(w.shape) / w.shape[0];
  k4 = (k + 3) / 4 * 4;
  return true;
}

bool qconv_is_depthwise(const Graph &g, const Node &n) {
  if (n.op != "QConv" || n.inputs.size() < 2) return false;
  const Tensor &x = g.tensor(n.inputs[0]), &w = g.tensor(n.inputs[1]);
  int64_t group = n.attrs.get_int("group", 1);
  if (x.shape.size() < 3 || w.shape.size() < 3 || group != x.shape[1] || w.shape[0] != group || !w.quant) return false;
  for (int32_t z : w.quant->zero_point)
    if (z != 0) return false;
  return true;
}

int64_t node_scratch_bytes(const Graph &g, const Node &n) {
  int64_t k4 = 0;
  if (qconv_uses_column(g, n, k4)) return k4 * 2;  // int16 column
  return 0;
}

}  // namespace mtc
