// ConstantOfShape: a tensor of the constant shape given by input 0, filled with the one-element
// 'value' attribute (default float32 0).
#include "ops/op.h"

namespace mtc {

namespace {

Value fill_value(const Attributes &a) {
  return a.has("value") ? a.get_tensor("value") : Value::scalar_f32(0.f);
}

void infer_constant_of_shape(InferContext &ctx) {
  const Value &shape = ctx.require_const(0, "shape");
  ctx.check(shape.dtype == DType::I64 || shape.dtype == DType::I32, "the shape input must be int64");
  ctx.check(shape.shape.size() == 1, "the shape input must be a 1-D tensor");
  Shape out = shape.to_i64();
  for (int64_t d : out) ctx.check(d >= 0, "the shape " + shape_str(out) + " has a negative dimension");
  Value v = fill_value(ctx.attrs());
  ctx.check(v.elements() == 1, "'value' must hold exactly one element");
  ctx.set_output(0, v.dtype, out);
}

void eval_constant_of_shape(EvalContext &ctx) {
  Value v = fill_value(ctx.attrs());
  Value &out = ctx.out(0);
  const size_t es = v.bytes.size();
  for (int64_t i = 0; i < out.elements(); ++i)
    std::memcpy(out.bytes.data() + size_t(i) * es, v.bytes.data(), es);
}

OpDef constant_of_shape_op() {
  OpDef d;
  d.name = "ConstantOfShape";
  d.compile_time_only = true;  // its shape input must be constant, so it always folds
  d.infer = infer_constant_of_shape;
  d.eval = eval_constant_of_shape;
  return d;
}

}  // namespace

MTC_REGISTER_OP(constant_of_shape_op())

}  // namespace mtc
