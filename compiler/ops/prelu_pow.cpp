// PRelu (slope broadcast unidirectionally to X) and Pow (numpy broadcasting; the result has the
// base's type, the exponent may be float32, int32 or int64 whatever the base).
#include <cmath>
#include <limits>

#include "ops/broadcast_walk.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_prelu(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::F32 && ctx.in_dtype(1) == DType::F32, "supports float32 only");
  const Shape &x = ctx.in_shape(0), &slope = ctx.in_shape(1);
  Shape out;
  ctx.check(broadcast_shapes(x, slope, out) && out == x,
            "slope shape " + shape_str(slope) + " does not broadcast to the input shape " + shape_str(x));
  ctx.set_output(0, DType::F32, x);
}

void eval_prelu(EvalContext &ctx) {
  const float *x = ctx.in(0).data<float>(), *s = ctx.in(1).data<float>();
  float *y = ctx.out(0).data<float>();
  walk_broadcast({ctx.in(0).shape, ctx.in(1).shape}, ctx.out(0).shape,
                 [&](int64_t o, const std::vector<int64_t> &at) {
                   float v = x[at[0]];
                   y[o] = v < 0.f ? s[at[1]] * v : v;
                 });
}

bool pow_type(DType t) { return t == DType::F32 || t == DType::I32 || t == DType::I64; }

void infer_pow(InferContext &ctx) {
  DType tb = ctx.in_dtype(0), te = ctx.in_dtype(1);
  ctx.check(pow_type(tb), std::string("does not support base type ") + dtype_name(tb));
  ctx.check(pow_type(te), std::string("does not support exponent type ") + dtype_name(te));
  Shape out;
  if (!broadcast_shapes(ctx.in_shape(0), ctx.in_shape(1), out))
    ctx.fail("cannot broadcast shapes " + shape_str(ctx.in_shape(0)) + " and " + shape_str(ctx.in_shape(1)));
  ctx.set_output(0, tb, out);
}

// Exact integer power by squaring, wrapping like unsigned arithmetic; a negative exponent gives the
// truncated reciprocal (0 unless the base is 1 or -1). Same rule as the C kernel mtc_pow_mixed.
int64_t int_pow(int64_t base, int64_t e) {
  if (e < 0) return base == 1 ? 1 : base == -1 ? ((e & 1) ? -1 : 1) : 0;
  uint64_t r = 1, b = uint64_t(base);
  for (; e > 0; e >>= 1) {
    if (e & 1) r *= b;
    b *= b;
  }
  return int64_t(r);
}

// Truncates toward zero, saturating; NaN gives 0 (like mtc_cast).
template <class T> T float_to_int(double v) {
  if (std::isnan(v)) return 0;
  if (v <= double(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  if (v >= double(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return T(v);
}

void eval_pow(EvalContext &ctx) {
  const Value &a = ctx.in(0), &b = ctx.in(1);
  Value &y = ctx.out(0);
  bool ints = a.dtype != DType::F32 && b.dtype != DType::F32;
  walk_broadcast({a.shape, b.shape}, y.shape, [&](int64_t o, const std::vector<int64_t> &at) {
    if (ints) {
      int64_t k = int_pow(a.get_i64(at[0]), b.get_i64(at[1]));
      if (y.dtype == DType::I32) y.data<int32_t>()[o] = int32_t(k);
      else y.data<int64_t>()[o] = k;
      return;
    }
    double v = std::pow(a.get_f64(at[0]), b.get_f64(at[1]));
    switch (y.dtype) {
    case DType::F32: y.data<float>()[o] = float(v); break;
    case DType::I32: y.data<int32_t>()[o] = float_to_int<int32_t>(v); break;
    default: y.data<int64_t>()[o] = float_to_int<int64_t>(v); break;
    }
  });
}

OpDef make_op(const char *name, void (*infer)(InferContext &), void (*eval)(EvalContext &)) {
  OpDef d;
  d.name = name;
  d.min_inputs = d.max_inputs = 2;
  d.infer = infer;
  d.eval = eval;
  return d;
}

}  // namespace

MTC_REGISTER_OP(make_op("PRelu", infer_prelu, eval_prelu))
MTC_REGISTER_OP(make_op("Pow", infer_pow, eval_pow))

}  // namespace mtc
