// Checks shared by the quantized operators.
#pragma once
#include "ops/op.h"

namespace mtc {

// The weights input must carry quantization parameters per tensor or per slice along `axis`.
void check_weight_quant(InferContext &ctx, size_t input, int axis);
// The input / output must carry per-tensor quantization parameters.
void check_tensor_quant(InferContext &ctx, TensorId id, const char *role);

}  // namespace mtc
