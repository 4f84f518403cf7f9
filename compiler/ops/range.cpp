// Range: start, start + delta, ... up to (not including) limit. The length depends on the input
// values, so all three must be constants (the node is then folded away).
#include <cmath>

#include "ops/op.h"

namespace mtc {

namespace {

void infer_range(InferContext &ctx) {
  const Value &start = ctx.require_const(0, "start");
  const Value &limit = ctx.require_const(1, "limit");
  const Value &delta = ctx.require_const(2, "delta");
  DType t = start.dtype;
  ctx.check(t == DType::F32 || t == DType::F64 || t == DType::I16 || t == DType::I32 || t == DType::I64,
            std::string("element type ") + dtype_name(t) + " is not supported");
  ctx.check(limit.dtype == t && delta.dtype == t, "start, limit and delta must have one element type");
  ctx.check(start.elements() == 1 && limit.elements() == 1 && delta.elements() == 1,
            "start, limit and delta must be scalars");
  double d = delta.get_f64(0), span = limit.get_f64(0) - start.get_f64(0);
  ctx.check(d != 0 && std::isfinite(d) && std::isfinite(span), "delta must be nonzero and all inputs finite");
  double n = std::ceil(span / d);
  ctx.check(n < 2147483648.0, "the range has more than 2^31 elements");
  int64_t count = n > 0 ? int64_t(n) : 0;
  const int64_t kSafe = int64_t(1) << 62;
  int64_t s = start.get_i64(0), l = limit.get_i64(0), k = delta.get_i64(0);
  if (t != DType::F32 && t != DType::F64 && s > -kSafe && s < kSafe && l > -kSafe && l < kSafe) {
    // exact integer ceil((l - s) / k): double rounding could be off by one for huge values
    int64_t num = l - s;
    int64_t q = num / k;
    if (q * k != num && ((num > 0) == (k > 0))) ++q;
    count = q > 0 ? q : 0;
  }
  ctx.set_output(0, t, {count});
}

void eval_range(EvalContext &ctx) {
  Value &out = ctx.out(0);
  const Value &start = ctx.in(0), &delta = ctx.in(2);
  for (int64_t i = 0; i < out.elements(); ++i) {
    switch (out.dtype) {
    case DType::F32: out.data<float>()[i] = start.data<float>()[0] + float(i) * delta.data<float>()[0]; break;
    case DType::F64:
      out.data<double>()[i] = start.data<double>()[0] + double(i) * delta.data<double>()[0];
      break;
    case DType::I16: out.data<int16_t>()[i] = int16_t(start.get_i64(0) + i * delta.get_i64(0)); break;
    case DType::I32: out.data<int32_t>()[i] = int32_t(start.get_i64(0) + i * delta.get_i64(0)); break;
    default: out.data<int64_t>()[i] = start.get_i64(0) + i * delta.get_i64(0); break;
    }
  }
}

OpDef range_op() {
  OpDef d;
  d.name = "Range";
  d.compile_time_only = true;  // inputs must be constants, so it always folds
  d.min_inputs = 3;
  d.max_inputs = 3;
  d.infer = infer_range;
  d.eval = eval_range;
  return d;
}

}  // namespace

MTC_REGISTER_OP(range_op())

}  // namespace mtc
