// The numpy matmul shape rule shared by the MatMul op and its emitter: 1-D operands are promoted
// (and their axis dropped from the result), leading dims are broadcast batch dims.
#pragma once
#include <string>

#include "ir/graph.h"

namespace mtc {

struct MatMulShape {
  int64_t m = 1, n = 1, k = 1;
  Shape batch;                            // broadcast batch dims of the output
  std::vector<int64_t> a_batch, b_batch;  // element strides of A/B per batch dim (0 = broadcast)
  Shape out;
};

// Fills `s` for operands of shapes a and b; false with `why` set when they do not multiply.
bool matmul_shape(const Shape &a, const Shape &b, MatMulShape &s, std::string &why);

}  // namespace mtc
