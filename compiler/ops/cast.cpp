// Cast: converts element types ('to' holds an mtc::DType, converted from the ONNX code on import).
// Float to integer truncates toward zero; NaN becomes 0 and out-of-range values saturate (ONNX leaves
// them undefined), which is what the C kernel mtc_cast does too.
#include <cfloat>
#include <cmath>
#include <limits>

#include "ops/op.h"

namespace mtc {

namespace {

bool is_float(DType t) { return t == DType::F32 || t == DType::F64; }

template <class T>
T float_to_int(double v) {
  if (std::isnan(v)) return 0;
  if (v <= double(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (v >= double(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return T(v);
}

// Element conversion through double (float sources, exact) or int64 (integer sources, exact).
void convert(const Value &in, Value &out, int64_t i) {
  const bool from_float = is_float(in.dtype);
  const double f = from_float ? in.get_f64(i) : 0.0;
  const int64_t k = from_float ? 0 : in.get_i64(i);
  switch (out.dtype) {
  case DType::F32:
    if (!from_float)
      out.data<float>()[i] = float(k);
    else if (std::isfinite(f) && std::fabs(f) > FLT_MAX)
      out.data<float>()[i] = std::copysign(HUGE_VALF, float(f > 0 ? 1 : -1));
    else
      out.data<float>()[i] = float(f);
    break;
  case DType::F64: out.data<double>()[i] = from_float ? f : double(k); break;
  case DType::I8: out.data<int8_t>()[i] = from_float ? float_to_int<int8_t>(f) : int8_t(k); break;
  case DType::U8: out.data<uint8_t>()[i] = from_float ? float_to_int<uint8_t>(f) : uint8_t(k); break;
  case DType::I16: out.data<int16_t>()[i] = from_float ? float_to_int<int16_t>(f) : int16_t(k); break;
  case DType::I32: out.data<int32_t>()[i] = from_float ? float_to_int<int32_t>(f) : int32_t(k); break;
  case DType::I64: out.data<int64_t>()[i] = from_float ? float_to_int<int64_t>(f) : k; break;
  case DType::Bool: out.data<uint8_t>()[i] = from_float ? f != 0.0 : k != 0; break;
  case DType::Undefined: break;
  }
}

DType target_type(const Attributes &a) {
  int64_t to = a.get_int("to", 0);
  return to > int64_t(DType::Undefined) && to <= int64_t(DType::Bool) ? DType(to) : DType::Undefined;
}

void infer_cast(InferContext &ctx) {
  ctx.check(ctx.attrs().has("to"), "the 'to' attribute is required");
  DType to = target_type(ctx.attrs());
  ctx.check(to != DType::Undefined, "'to' is not an element type microtc supports");
  ctx.check(ctx.in_dtype(0) != DType::Undefined, "the input element type is unknown");
  ctx.set_output(0, to, ctx.in_shape(0));
}

void eval_cast(EvalContext &ctx) {
  for (int64_t i = 0; i < ctx.in(0).elements(); ++i) convert(ctx.in(0), ctx.out(0), i);
}

OpDef cast_op() {
  OpDef d;
  d.name = "Cast";
  d.infer = infer_cast;
  d.eval = eval_cast;
  return d;
}

}  // namespace

MTC_REGISTER_OP(cast_op())

}  // namespace mtc
