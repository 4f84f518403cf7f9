// Concat: joins any number of tensors of one element type along an axis.
#include "ops/data_layout.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_concat(InferContext &ctx) {
  ctx.check(ctx.attrs().has("axis"), "the axis attribute is required");
  const Shape &first = ctx.in_shape(0);
  ctx.check(!first.empty(), "cannot concatenate scalars (rank 0)");
  size_t axis = size_t(normalize_axis(ctx, ctx.attrs().get_int("axis"), int64_t(first.size())));
  Shape out = first;
  out[axis] = 0;
  for (size_t i = 0; i < ctx.num_inputs(); ++i) {
    ctx.check(ctx.has_input(i), "input " + std::to_string(i) + " is missing");
    const Shape &s = ctx.in_shape(i);
    ctx.check(ctx.in_dtype(i) == ctx.in_dtype(0), std::string("inputs mix element types ") +
                                                      dtype_name(ctx.in_dtype(0)) + " and " +
                                                      dtype_name(ctx.in_dtype(i)));
    ctx.check(s.size() == first.size(), "input " + std::to_string(i) + " has shape " + shape_str(s) +
                                            ", whose rank differs from " + shape_str(first));
    for (size_t a = 0; a < s.size(); ++a)
      ctx.check(a == axis || s[a] == first[a], "input " + std::to_string(i) + " has shape " + shape_str(s) +
                                                   ", which differs from " + shape_str(first) +
                                                   " off the axis");
    out[axis] += s[axis];
  }
  ctx.set_output(0, ctx.in_dtype(0), out);
}

void eval_concat(EvalContext &ctx) {
  Value &out = ctx.out(0);
  size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis"), int64_t(out.shape.size())));
  int64_t offset = 0;
  for (size_t i = 0; ctx.has(i); ++i) {
    run_strided_copy(ctx.in(i), out, concat_copy(ctx.in(i).shape, out.shape, axis, offset));
    offset += ctx.in(i).shape[axis];
  }
}

OpDef concat_op() {
  OpDef d;
  d.name = "Concat";
  d.min_inputs = 1;
  d.max_inputs = -1;
  d.infer = infer_concat;
  d.eval = eval_concat;
  return d;
}

}  // namespace

MTC_REGISTER_OP(concat_op())

}  // namespace mtc
