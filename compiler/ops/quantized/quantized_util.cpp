#include "ops/quantized/quantized_util.h"

namespace mtc {

void check_weight_quant(InferContext &ctx, size_t input, int axis) {
  const Tensor &w = ctx.input(input);
  ctx.check(w.quant.has_value(), "weights " + quote_name(w.name) + " have no quantization parameters");
  ctx.check(!w.quant->per_axis() || w.quant->axis == axis,
            "weights " + quote_name(w.name) + " must be quantized per tensor or along axis " + std::to_string(axis));
}

void check_tensor_quant(InferContext &ctx, TensorId id, const char *role) {
  const Tensor &t = ctx.graph().tensor(id);
  ctx.check(t.quant.has_value() && !t.quant->per_axis(),
            std::string(role) + " " + quote_name(t.name) + " needs per-tensor quantization parameters");
}

}  // namespace mtc
