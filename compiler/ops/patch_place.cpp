// PatchPlace: an internal op of patch-based inference (memory/patch_rewrite.h). Writes patch P
// (input 0, [N, C, rows, cols]) into a copy of T [N, C, H, W] at (attribute) row, col; the other
// elements come from input 1 (the tensor the previous patches filled), or are zero when it is
// omitted (the first patch). The n x n patches of a stage each place one part, in place over one buffer.
#include "ops/op.h"

#include <cstring>

namespace mtc {

namespace {

void infer_patch_place(InferContext &ctx) {
  const Shape &p = ctx.in_shape(0);
  const Shape full = ctx.attrs().get_ints("full_shape");
  const int64_t row = ctx.attrs().get_int("row"), col = ctx.attrs().get_int("col");
  // written without sums, so hostile attribute values cannot overflow
  ctx.check(p.size() == 4 && full.size() == 4 && p[0] == full[0] && p[1] == full[1] && row >= 0 && col >= 0 &&
                p[2] <= full[2] && p[3] <= full[3] && row <= full[2] - p[2] && col <= full[3] - p[3],
            "patch " + shape_str(p) + " at row " + std::to_string(row) + ", column " + std::to_string(col) +
                " does not fit in " + shape_str(full));
  if (ctx.has_input(1))
    ctx.check(ctx.in_shape(1) == full && ctx.in_dtype(1) == ctx.in_dtype(0), "the tensor to fill does not match");
  ctx.set_output(0, ctx.in_dtype(0), full);
}

void eval_patch_place(EvalContext &ctx) {
  const Value &p = ctx.in(0);
  Value &y = ctx.out(0);
  if (ctx.has(1)) y.bytes = ctx.in(1).bytes;
  const size_t es = dtype_size(p.dtype);
  const int64_t planes = p.shape[0] * p.shape[1], rows = p.shape[2], cols = p.shape[3];
  const int64_t h = y.shape[2], w = y.shape[3], row = ctx.attrs().get_int("row"), col = ctx.attrs().get_int("col");
  for (int64_t c = 0; c < planes; ++c)
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(y.bytes.data() + size_t((c * h + row + r) * w + col) * es,
                  p.bytes.data() + size_t((c * rows + r) * cols) * es, size_t(cols) * es);
}

OpDef patch_place_op() {
  OpDef d;
  d.name = "PatchPlace";
  d.min_inputs = 1;
  d.max_inputs = 2;
  d.infer = infer_patch_place;
  d.eval = eval_patch_place;
  return d;
}

}  // namespace

MTC_REGISTER_OP(patch_place_op())

}  // namespace mtc
