// Expand: broadcasts the input to the constant shape of input 1 (numpy rules, both directions).
#include "ops/data_layout.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_expand(InferContext &ctx) {
  const Value &shape = ctx.require_const(1, "target shape");
  ctx.check(shape.dtype == DType::I64 || shape.dtype == DType::I32, "the shape input must be int64");
  ctx.check(shape.shape.size() == 1, "the shape input must be a 1-D tensor");
  Shape target = shape.to_i64(), out;
  for (int64_t d : target) ctx.check(d >= 0, "the shape " + shape_str(target) + " has a negative dimension");
  ctx.check(broadcast_shapes(ctx.in_shape(0), target, out),
            "cannot broadcast " + shape_str(ctx.in_shape(0)) + " to " + shape_str(target));
  ctx.set_output(0, ctx.in_dtype(0), out);
}

void eval_expand(EvalContext &ctx) {
  StridedCopy c;
  c.shape = ctx.out(0).shape;
  c.src_strides = broadcast_strides(ctx.in(0).shape, c.shape);
  c.dst_strides = contiguous_strides(c.shape);
  run_strided_copy(ctx.in(0), ctx.out(0), c);
}

OpDef expand_op() {
  OpDef d;
  d.name = "Expand";
  d.min_inputs = 2;
  d.max_inputs = 2;
  d.infer = infer_expand;
  d.eval = eval_expand;
  return d;
}

}  // namespace

MTC_REGISTER_OP(expand_op())

}  // namespace mtc
