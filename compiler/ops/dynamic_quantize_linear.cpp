// DynamicQuantizeLinear (opset 11): uint8 quantization with the scale and zero point computed from
// the data, step by step as the ONNX definition states it, in float32:
//   range = [min(0, min x), max(0, max x)], scale = (max - min) / 255,
//   zero_point = round_half_even(saturate(0 - min / scale)), y = saturate(round(x / scale) + zp).
// An all-zero x gives scale 0 and 0 / 0 = NaN, which saturates to 0: zero point 0 and y all 0.
#include "ops/op.h"
#include "ops/quantized_math.h"

namespace mtc {

namespace {

void infer_dynamic_quantize(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::F32,
            std::string("x must be float32, not ") + dtype_name(ctx.in_dtype(0)));
  ctx.set_output(0, DType::U8, ctx.in_shape(0));
  ctx.set_output(1, DType::F32, {});
  ctx.set_output(2, DType::U8, {});
}

void eval_dynamic_quantize(EvalContext &ctx) {
  const Value &xv = ctx.in(0);
  const float *x = xv.data<float>();
  const int64_t n = xv.elements();
  float lo = 0.f, hi = 0.f;
  for (int64_t i = 0; i < n; ++i) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  const float scale = (hi - lo) / 255.f;
  const float initial_zp = 0.f - lo / scale;
  const float saturated = std::isnan(initial_zp) ? 0.f : std::fmin(std::fmax(initial_zp, 0.f), 255.f);
  const int32_t zp = saturate_rounded(round_ties_even(saturated), 0, 255);
  uint8_t *y = ctx.out(0).data<uint8_t>();
  for (int64_t i = 0; i < n; ++i) y[i] = uint8_t(quantize_float(x[i], scale, zp, 0, 255));
  ctx.out(1).data<float>()[0] = scale;
  ctx.out(2).data<uint8_t>()[0] = uint8_t(zp);
}

OpDef dynamic_quantize_op() {
  OpDef d;
  d.name = "DynamicQuantizeLinear";
  d.min_outputs = d.max_outputs = 3;
  d.infer = infer_dynamic_quantize;
  d.eval = eval_dynamic_quantize;
  return d;
}

}  // namespace

MTC_REGISTER_OP(dynamic_quantize_op())

}  // namespace mtc
