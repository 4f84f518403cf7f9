// Pad (opset >= 11 form; older ones are rewritten on import): constant, reflect or edge padding with
// constant pads; negative pads crop. The fill value (input 2) may be computed at run time.
#include "ops/data_layout.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_pad(InferContext &ctx) {
  const Value &pads = ctx.require_const(1, "pads");
  ctx.check(pads.dtype == DType::I64 || pads.dtype == DType::I32, "pads must be int64");
  if (ctx.has_input(3)) ctx.require_const(3, "axes");
  if (ctx.has_input(2)) {
    ctx.check(ctx.in_dtype(2) == ctx.in_dtype(0), std::string("the fill value is ") +
                                                      dtype_name(ctx.in_dtype(2)) + " but the data is " +
                                                      dtype_name(ctx.in_dtype(0)));
    ctx.check(shape_elements(ctx.in_shape(2)) == 1, "the fill value must be a scalar");
  }
  PadPlan plan;
  std::string err = pad_plan(ctx.graph(), ctx.node(), plan);
  if (!err.empty()) ctx.fail(err);
  ctx.set_output(0, ctx.in_dtype(0), plan.out);
}

// out[o] = in[map_0[o_0], map_1[o_1], ...], or the fill value where any map entry is -1.
void eval_pad(EvalContext &ctx) {
  const Value &in = ctx.in(0);
  Value &out = ctx.out(0);
  PadPlan plan;
  pad_plan(ctx.graph(), ctx.node(), plan);
  const size_t es = dtype_size(in.dtype), rank = in.shape.size();
  std::vector<std::vector<int64_t>> maps;
  for (size_t a = 0; a < rank; ++a)
    maps.push_back(pad_axis_map(in.shape[a], plan.begin[a], plan.end[a], plan.mode));
  std::vector<uint8_t> fill(es, 0);
  if (ctx.has(2)) std::memcpy(fill.data(), ctx.in(2).bytes.data(), es);
  std::vector<int64_t> st = contiguous_strides(in.shape), idx(rank, 0);
  for (int64_t k = 0; k < out.elements(); ++k) {
    int64_t src = 0;
    for (size_t a = 0; a < rank && src >= 0; ++a) {
      int64_t m = maps[a][size_t(idx[a])];
      src = m < 0 ? -1 : src + m * st[a];
    }
    std::memcpy(out.bytes.data() + size_t(k) * es, src < 0 ? fill.data() : in.bytes.data() + size_t(src) * es,
                es);
    for (size_t a = rank; a-- > 0;) {
      if (++idx[a] < plan.out[a]) break;
      idx[a] = 0;
    }
  }
}

OpDef pad_op() {
  OpDef d;
  d.name = "Pad";
  d.min_inputs = 2;
  d.max_inputs = 4;
  d.infer = infer_pad;
  d.eval = eval_pad;
  return d;
}

}  // namespace

MTC_REGISTER_OP(pad_op())

}  // namespace mtc
