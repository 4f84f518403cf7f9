// QuantizeLinear and DequantizeLinear (opsets 10 and 13) with run-time scale and zero point tensors,
// per tensor or per axis. The arithmetic is float32 exactly as the ONNX definitions state it, so the
// C kernels (runtime/src/mtc_quantize_linear_*.c, mtc_dequantize_linear_*.c) match bit for bit.
#include "ops/quantize_linear.h"

#include <cmath>

#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/quantized_math.h"

namespace mtc {

bool quant_layout(const Node &n, const Shape &x, const Shape &scale, const Shape *zero_point, QuantLayout &l,
                  std::string &why) {
  if (zero_point && *zero_point != scale) {
    why = "zero point shape " + shape_str(*zero_point) + " differs from the scale shape " + shape_str(scale);
    return false;
  }
  l = QuantLayout();
  if (scale.size() <= 1 && shape_elements(scale) == 1) {
    l.inner = shape_elements(x);
    return true;
  }
  const int64_t rank = int64_t(x.size());
  const int64_t attr = n.attrs.get_int("axis", 1);
  const int64_t axis = normalize_axis(attr, rank);
  if (scale.size() != 1 || axis < 0 || axis >= rank || scale[0] != x[size_t(axis)]) {
    why = "scale shape " + shape_str(scale) + " is neither a scalar nor one value per slice of " +
          shape_str(x) + " along axis " + std::to_string(attr);
    return false;
  }
  l.outer = product(x, 0, size_t(axis));
  l.channels = x[size_t(axis)];
  l.inner = product(x, size_t(axis) + 1, x.size());
  return true;
}

namespace {

bool is_quantized_type(DType t) { return t == DType::U8 || t == DType::I8; }

void check_layout(InferContext &ctx) {
  QuantLayout l;
  std::string why;
  Shape zp = ctx.has_input(2) ? ctx.in_shape(2) : Shape();
  if (!quant_layout(ctx.node(), ctx.in_shape(0), ctx.in_shape(1), ctx.has_input(2) ? &zp : nullptr, l, why))
    ctx.fail(why);
}

void infer_quantize(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::F32,
            std::string("x must be float32, not ") + dtype_name(ctx.in_dtype(0)));
  ctx.check(ctx.in_dtype(1) == DType::F32,
            std::string("the scale must be float32, not ") + dtype_name(ctx.in_dtype(1)));
  DType out = ctx.has_input(2) ? ctx.in_dtype(2) : DType::U8;
  ctx.check(is_quantized_type(out),
            std::string("the zero point must be uint8 or int8, not ") + dtype_name(out));
  check_layout(ctx);
  ctx.set_output(0, out, ctx.in_shape(0));
}

void infer_dequantize(InferContext &ctx) {
  DType t = ctx.in_dtype(0);
  ctx.check(is_quantized_type(t) || t == DType::I32,
            std::string("x must be uint8, int8 or int32, not ") + dtype_name(t));
  ctx.check(ctx.in_dtype(1) == DType::F32,
            std::string("the scale must be float32, not ") + dtype_name(ctx.in_dtype(1)));
  if (ctx.has_input(2))
    ctx.check(ctx.in_dtype(2) == t, std::string("the zero point must have x's type ") + dtype_name(t) +
                                        ", not " + dtype_name(ctx.in_dtype(2)));
  check_layout(ctx);
  ctx.set_output(0, DType::F32, ctx.in_shape(0));
}

QuantLayout eval_layout(EvalContext &ctx) {
  QuantLayout l;
  std::string why;
  const Shape *zp = ctx.has(2) ? &ctx.in(2).shape : nullptr;
  if (!quant_layout(ctx.node(), ctx.in(0).shape, ctx.in(1).shape, zp, l, why)) ctx.fail(why);
  return l;
}

void eval_quantize(EvalContext &ctx) {
  QuantLayout l = eval_layout(ctx);
  const Value &x = ctx.in(0), &scale = ctx.in(1);
  Value &y = ctx.out(0);
  const bool u8 = y.dtype == DType::U8;
  const int32_t lo = u8 ? 0 : -128, hi = u8 ? 255 : 127;
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t c = 0; c < l.channels; ++c) {
      const float s = scale.data<float>()[c];
      const int32_t zp = ctx.has(2) ? int32_t(ctx.in(2).get_i64(c)) : 0;
      for (int64_t i = 0; i < l.inner; ++i) {
        const int64_t e = (o * l.channels + c) * l.inner + i;
        y.set_f64(e, quantize_float(x.data<float>()[e], s, zp, lo, hi));
      }
    }
}

void eval_dequantize(EvalContext &ctx) {
  QuantLayout l = eval_layout(ctx);
  const Value &x = ctx.in(0), &scale = ctx.in(1);
  float *y = ctx.out(0).data<float>();
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t c = 0; c < l.channels; ++c) {
      const float s = scale.data<float>()[c];
      const int64_t zp = ctx.has(2) ? ctx.in(2).get_i64(c) : 0;
      for (int64_t i = 0; i < l.inner; ++i) {
        const int64_t e = (o * l.channels + c) * l.inner + i;
        // The difference is exact in int64; one rounding to float32, then one float32 product.
        y[e] = float(x.get_i64(e) - zp) * s;
      }
    }
}

OpDef quantize_op() {
  OpDef d;
  d.name = "QuantizeLinear";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_quantize;
  d.eval = eval_quantize;
  return d;
}

OpDef dequantize_op() {
  OpDef d;
  d.name = "DequantizeLinear";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_dequantize;
  d.eval = eval_dequantize;
  return d;
}

}  // namespace

MTC_REGISTER_OP(quantize_op())
MTC_REGISTER_OP(dequantize_op())

}  // namespace mtc
