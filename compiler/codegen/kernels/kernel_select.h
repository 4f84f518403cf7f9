// Kernel choices that other parts of the compiler must agree with (the memory planner reserves
// the scratch memory the chosen kernel needs).
#pragma once
#include <cstdint>

#include "ir/graph.h"

namespace mtc {

// Longest row run the panel kernel's own fill pads (MTC_QCONV_PANEL_RUN_MAX, runtime/include/mtc_qnn.h).
constexpr int64_t kPanelRunMax = 48;

// How a QConv runs through the im2col panel kernel (mtc_qconv2d_s8_panel).
struct QConvPanel {
  int64_t k4 = 0;     // input channels * kernel taps, rounded up to 4
  int64_t tile = 0;   // output positions per panel
  int64_t tiles = 1;  // panels filled per pass: short panels (few taps) share each channel's set-up
  int64_t scratch_bytes() const { return k4 * tile * 2 * tiles; }  // int16 values
};

// A QConv runs through the panel kernel when it is not grouped and its weights and bias are
// constants with symmetric weights.
bool qconv_uses_panel(const Graph &g, const Node &n, QConvPanel &panel);

// A QConv runs through the depthwise kernel (mtc_qdwconv2d_s8) when every channel is its own group
// and its weights are symmetric.
bool qconv_is_depthwise(const Graph &g, const Node &n);

// Bytes of int16 scratch the depthwise kernel's widened-row path takes (unit dilation, kernel at most
// 16 rows, scratch small next to the input), else 0: the kernel's generic loop, scratch NULL.
int64_t qconv_depthwise_scratch_bytes(const Graph &g, const Node &n);

}  // namespace mtc
