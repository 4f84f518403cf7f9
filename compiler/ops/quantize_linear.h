// How QuantizeLinear / DequantizeLinear apply their scale and zero point to x: one pair for the
// whole tensor, or one per slice along `axis`. Shared by the ops and their emitter.
#pragma once
#include <string>

#include "ir/graph.h"

namespace mtc {

// x viewed as [outer][channels][inner]: element (o, c, i) uses scale[c] and zero_point[c].
struct QuantLayout {
  int64_t outer = 1, channels = 1, inner = 1;
};

// A scale with one element is per tensor; a 1-D scale of x.shape[axis] elements is per axis (the
// node's "axis" attribute, default 1, may be negative). The zero point, when present, must have
// the scale's shape. False with `why` set otherwise.
bool quant_layout(const Node &n, const Shape &x, const Shape &scale, const Shape *zero_point, QuantLayout &l,
                  std::string &why);

}  // namespace mtc
