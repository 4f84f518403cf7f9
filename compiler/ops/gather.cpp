// Gather: picks slices of the data along an axis by integer indices (negative ones count from the
// end). Constant indices are checked here; out-of-range run-time indices make the C kernel write zeros.
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_gather(InferContext &ctx) {
  const Shape &data = ctx.in_shape(0), &idx = ctx.in_shape(1);
  ctx.check(!data.empty(), "cannot gather from a scalar");
  ctx.check(ctx.in_dtype(1) == DType::I64 || ctx.in_dtype(1) == DType::I32,
            std::string("indices must be int64 or int32, not ") + dtype_name(ctx.in_dtype(1)));
  size_t axis = size_t(normalize_axis(ctx, ctx.attrs().get_int("axis", 0), int64_t(data.size())));
  if (const Value *v = ctx.const_input(1)) {
    for (int64_t i = 0; i < v->elements(); ++i) {
      int64_t k = v->get_i64(i);
      ctx.check(k >= -data[axis] && k < data[axis], "index " + std::to_string(k) +
                                                        " is out of range for axis " + std::to_string(axis) +
                                                        " of size " + std::to_string(data[axis]));
    }
  }
  Shape out(data.begin(), data.begin() + int64_t(axis));
  out.insert(out.end(), idx.begin(), idx.end());
  out.insert(out.end(), data.begin() + int64_t(axis) + 1, data.end());
  ctx.set_output(0, ctx.in_dtype(0), out);
}

void eval_gather(EvalContext &ctx) {
  const Value &data = ctx.in(0), &idx = ctx.in(1);
  Value &out = ctx.out(0);
  size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis", 0), int64_t(data.shape.size())));
  const int64_t outer = product(data.shape, 0, axis), dim = data.shape[axis];
  const int64_t inner = product(data.shape, axis + 1, data.shape.size()), n = idx.elements();
  const size_t row = size_t(inner) * dtype_size(data.dtype);
  for (int64_t j = 0; j < n; ++j) {
    int64_t k = idx.get_i64(j);
    if (k < -dim || k >= dim)
      ctx.fail("index " + std::to_string(k) + " is out of range for an axis of size " + std::to_string(dim));
    if (k < 0) k += dim;
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(out.bytes.data() + size_t(o * n + j) * row, data.bytes.data() + size_t(o * dim + k) * row,
                  row);
  }
}

OpDef gather_op() {
  OpDef d;
  d.name = "Gather";
  d.min_inputs = 2;
  d.max_inputs = 2;
  d.infer = infer_gather;
  d.eval = eval_gather;
  return d;
}

}  // namespace

MTC_REGISTER_OP(gather_op())

}  // namespace mtc
