// PatchQuantizeLinear: an internal op of patch-based inference (memory/patch_rewrite.h). The
// QuantizeLinear of a window (attributes row, col, rows, cols) of its float input: a patch's first
// layer reading the graph input in place, so no float copy of the window takes arena memory.
// Scale and zero point as QuantizeLinear, per tensor or per channel (axis 1).
#include "ops/op.h"
#include "ops/quantize_linear.h"

#include <cstring>

namespace mtc {

namespace {

struct Window {
  int64_t row, col, rows, cols;
};

Window window_of(const Attributes &a) {
  return {a.get_int("row"), a.get_int("col"), a.get_int("rows"), a.get_int("cols")};
}

void infer_patch_quantize(InferContext &ctx) {
  const Shape &x = ctx.in_shape(0);
  const Window w = window_of(ctx.attrs());
  // written without sums, so hostile attribute values cannot overflow
  ctx.check(x.size() == 4 && w.row >= 0 && w.col >= 0 && w.rows > 0 && w.cols > 0 && w.rows <= x[2] &&
                w.cols <= x[3] && w.row <= x[2] - w.rows && w.col <= x[3] - w.cols,
            "the window does not fit the input " + shape_str(x));
  ctx.check(ctx.in_dtype(0) == DType::F32 && ctx.in_dtype(1) == DType::F32, "x and the scale must be float32");
  const DType out = ctx.has_input(2) ? ctx.in_dtype(2) : DType::U8;
  ctx.check(out == DType::I8 || out == DType::U8, "the zero point must be uint8 or int8");
  const Shape win = {x[0], x[1], w.rows, w.cols};
  QuantLayout l;
  std::string why;
  const Shape zp = ctx.has_input(2) ? ctx.in_shape(2) : Shape();
  if (!quant_layout(ctx.node(), win, ctx.in_shape(1), ctx.has_input(2) ? &zp : nullptr, l, why)) ctx.fail(why);
  ctx.check(l.channels == 1 || l.inner == w.rows * w.cols, "only per-tensor or per-channel (axis 1) scales");
  ctx.set_output(0, out, win);
}

void eval_patch_quantize(EvalContext &ctx) {
  const Value &x = ctx.in(0);
  const Window w = window_of(ctx.attrs());
  Value win(x.dtype, {x.shape[0], x.shape[1], w.rows, w.cols});
  const size_t es = dtype_size(x.dtype);
  for (int64_t p = 0; p < x.shape[0] * x.shape[1]; ++p)
    for (int64_t r = 0; r < w.rows; ++r)
      std::memcpy(win.bytes.data() + size_t((p * w.rows + r) * w.cols) * es,
                  x.bytes.data() + size_t((p * x.shape[2] + w.row + r) * x.shape[3] + w.col) * es, size_t(w.cols) * es);
  std::vector<const Value *> ins = {&win, &ctx.in(1), ctx.has(2) ? &ctx.in(2) : nullptr};
  EvalContext sub(ctx.graph(), ctx.node(), ins, {&ctx.out(0)});
  OpRegistry::instance().find("QuantizeLinear")->eval(sub);
}

OpDef patch_quantize_op() {
  OpDef d;
  d.name = "PatchQuantizeLinear";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_patch_quantize;
  d.eval = eval_patch_quantize;
  return d;
}

}  // namespace

MTC_REGISTER_OP(patch_quantize_op())

}  // namespace mtc
