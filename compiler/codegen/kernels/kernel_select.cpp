#include "codegen/kernels/kernel_select.h"

#include <algorithm>

#include "memory/scratch.h"

namespace mtc {

namespace {
// Output positions per panel: enough to share each weight load over several positions, few enough
// to keep the scratch small next to the activations. Must equal MTC_QCONV_PANEL_TILE in
// runtime/include/mtc_qnn.h (a test checks).
constexpr int64_t kPanelTile = 8;
}  // namespace

bool qconv_uses_panel(const Graph &g, const Node &n, QConvPanel &panel) {
  if (n.op != "QConv" || n.attrs.get_int("group", 1) != 1 || n.inputs.size() < 2 || n.outputs.empty()) return false;
  const Tensor &w = g.tensor(n.inputs[1]), &y = g.tensor(n.outputs[0]);
  if (!w.quant || !w.constant || w.shape.size() < 3 || y.shape.size() < 3) return false;
  if (n.inputs.size() > 2 && n.inputs[2] != kNoTensor && !g.tensor(n.inputs[2]).constant) return false;
  for (int32_t z : w.quant->zero_point)
    if (z != 0) return false;
  int64_t k = shape_elements(w.shape) / w.shape[0];
  panel.k4 = (k + 3) / 4 * 4;
  panel.tile = kPanelTile;
  return true;
}

bool qconv_is_depthwise(const Graph &g, const Node &n) {
  if (n.op != "QConv" || n.inputs.size() < 2) return false;
  const Tensor &x = g.tensor(n.inputs[0]), &w = g.tensor(n.inputs[1]);
  int64_t group = n.attrs.get_int("group", 1);
  if (x.shape.size() < 3 || w.shape.size() < 3 || group != x.shape[1] || w.shape[0] != group || !w.quant ||
      !w.constant)
    return false;
  for (int32_t z : w.quant->zero_point)
    if (z != 0) return false;
  return true;
}

int64_t node_scratch_bytes(const Graph &g, const Node &n) {
  QConvPanel panel;
  if (qconv_uses_panel(g, n, panel)) return panel.scratch_bytes();
  return 0;
}

}  // namespace mtc
