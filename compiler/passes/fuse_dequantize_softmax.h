// DequantizeLinear -> Softmax as one QSoftmax (fuse_dequantize_softmax.cpp).
#pragma once
#include "ir/graph.h"

namespace mtc {

// Fuses every Softmax whose input is the only use of a per-tensor DequantizeLinear of an int8
// tensor (the head of a classifier quantized to int8); returns how many. The quantizer calls it
// last; the default pipeline runs it for imported int8 models.
int fuse_dequantize_softmax(Graph &g);

}  // namespace mtc
