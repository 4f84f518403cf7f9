// Shape and Size: their outputs depend only on the (static) input shape, so inference sets them as
// constants and constant folding removes the nodes.
#include <algorithm>

#include "ops/op.h"

namespace mtc {

namespace {

// Shape's output for an input of this shape, with the opset-15 start/end attributes (clamped).
Value shape_value(const Attributes &a, const Shape &in) {
  const int64_t r = int64_t(in.size());
  int64_t start = a.get_int("start", 0), end = a.get_int("end", r);
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = std::clamp<int64_t>(start, 0, r);
  end = std::clamp<int64_t>(end, 0, r);
  std::vector<int64_t> dims;
  for (int64_t i = start; i < end; ++i) dims.push_back(in[size_t(i)]);
  return Value::from_i64(dims, {int64_t(dims.size())});
}

void infer_shape(InferContext &ctx) { ctx.set_output_constant(0, shape_value(ctx.attrs(), ctx.in_shape(0))); }
void eval_shape(EvalContext &ctx) { ctx.out(0) = shape_value(ctx.attrs(), ctx.in(0).shape); }

void infer_size(InferContext &ctx) {
  ctx.set_output_constant(0, Value::from_i64({shape_elements(ctx.in_shape(0))}, {}));
}
void eval_size(EvalContext &ctx) { ctx.out(0) = Value::from_i64({shape_elements(ctx.in(0).shape)}, {}); }

OpDef op(const char *name, std::function<void(InferContext &)> infer,
         std::function<void(EvalContext &)> eval) {
  OpDef d;
  d.name = name;
  d.compile_time_only = true;  // output known from input shapes alone
  d.infer = std::move(infer);
  d.eval = std::move(eval);
  return d;
}

}  // namespace

MTC_REGISTER_OP(op("Shape", infer_shape, eval_shape))
MTC_REGISTER_OP(op("Size", infer_size, eval_size))

}  // namespace mtc
