// Kernel choices that other parts of the compiler must agree with (the memory planner reserves
// the scratch memory the chosen kernel needs).
#pragma once
#include <cstdint>

#include "ir/graph.h"

namespace mtc {

// A QConv runs through the im2col kernel (mtc_qconv2d_s8_col) when it is not grouped and its
// weights are symmetric; `k4` is its column length (input channels * kernel taps, rounded up to 4).
bool qconv_uses_column(const Graph &g, const Node &n, int64_t &k4);

// A QConv runs through the depthwise kernel (mtc_qdwconv2d_s8) when every channel is its own group
// and its weights are symmetric.
bool qconv_is_depthwise(const Graph &g, const Node &n);

}  // namespace mtc
