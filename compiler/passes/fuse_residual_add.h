// Residual Adds fused into the int8 convolution producing one operand (fuse_residual_add.cpp).
#pragma once
#include "ir/graph.h"

namespace mtc {

// Fuses every eligible QConv -> QAdd pair; returns how many. Run on int8 graphs (the quantizer
// calls it last; the default pipeline runs it for imported int8 models).
int fuse_residual_adds(Graph &g);

}  // namespace mtc
