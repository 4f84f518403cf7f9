#include "codegen/kernels/kernel_select.h"

#include <algorithm>
#include <string>

#include "memory/scratch.h"
#include "ops/conv_geometry.h"

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
  // Up to 8 panels per pass while they fit in 512 bytes of scratch, never more than the output needs.
  const int64_t positions = shape_elements(y.shape) / std::max<int64_t>(1, y.shape[0] * y.shape[1]);
  const int64_t one = panel.k4 * panel.tile * 2;
  panel.tiles = std::max<int64_t>(1, std::min<int64_t>({8, 512 / one, (positions + panel.tile - 1) / panel.tile}));
  return true;
}

bool qconv_is_depthwise(const Graph &g, const Node &n) {
  if (n.op != "QConv" || n.inputs.size() < 2) return false;
  const Tensor &x = g.tensor(n.inputs[0]), &w = g.tensor(n.inputs[1]);
  int64_t group = n.attrs.get_int("group", 1);
  if (x.shape.size() < 3 || w.shape.size() < 3 || group != x.shape[1] || w.shape[0] != group || !w.quant ||
      !w.constant)
    return false;
  if (n.inputs.size() > 2 && n.inputs[2] != kNoTensor && !g.tensor(n.inputs[2]).constant) return false;
  for (int32_t z : w.quant->zero_point)
    if (z != 0) return false;
  return true;
}

int64_t qconv_depthwise_scratch_bytes(const Graph &g, const Node &n) {
  QConvPanel panel;
  if (qconv_uses_panel(g, n, panel) || !qconv_is_depthwise(g, n)) return 0;
  const Tensor &x = g.tensor(n.inputs[0]), &w = g.tensor(n.inputs[1]);
  WindowGeometry g0;
  std::string why;
  if (!conv_window(n.attrs, x.shape, w.shape, g0, why)) return 0;
  WindowGeometry w2 = as_2d(g0);
  const int64_t kh = w2.kernel[0], kw = w2.kernel[1], ow = w2.out[1];
  if (w2.dilation[0] != 1 || w2.dilation[1] != 1 || kh > 16) return 0;
  // As mtc_qdwconv2d_s8_plane_scratch_size and mtc_qdwconv2d_s8_scratch_size (runtime/include/mtc_qnn.h):
  // the channel's weights padded to an even row length, and rows of (ow - 1) * stride_w + kw rounded
  // up to even int16 values: every row the windows read (the whole padded plane, widened once per
  // channel) or a ring of kh of them.
  const int64_t kw2 = (kw + 1) / 2, row = ((ow - 1) * w2.stride[1] + 2 * kw2 + 1) / 2 * 2;
  const int64_t plane_rows = (w2.out[0] - 1) * w2.stride[0] + kh;
  const int64_t plane = 2 * (2 * kw2 * kh + plane_rows * row), ring = 2 * (2 * kw2 * kh + kh * row);
  // Small next to the input tensor (the node's arena use), or the plain loop (few, long rows).
  const int64_t cap = std::max<int64_t>(256, shape_elements(x.shape) / 16);
  return plane <= cap ? plane : ring <= cap ? ring : 0;
}

int64_t node_scratch_bytes(const Graph &g, const Node &n) {
  QConvPanel panel;
  if (qconv_uses_panel(g, n, panel)) return panel.scratch_bytes();
  return qconv_depthwise_scratch_bytes(g, n);
}

}  // namespace mtc
