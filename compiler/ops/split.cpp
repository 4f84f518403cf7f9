// Split: cuts a tensor of any element type into consecutive pieces along an axis. The sizes come from
// the attribute `split` (opset < 13) or constant input 1 (opset >= 13); without them, equal parts.

#include "ops/data_layout.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_split(InferContext &ctx) {
  const Shape &in = ctx.in_shape(0);
  ctx.check(!in.empty(), "cannot split a scalar (rank 0)");
  const size_t axis = size_t(normalize_axis(ctx, ctx.attrs().get_int("axis", 0), int64_t(in.size())));
  const int64_t dim = in[axis], nout = int64_t(ctx.num_outputs());
  // the evaluator and emitter take each piece's place on the axis from the output shapes
  for (size_t i = 0; i < ctx.num_outputs(); ++i)
    ctx.check(ctx.node().outputs[i] != kNoTensor, "output " + std::to_string(i) + " is omitted (not supported)");
  std::vector<int64_t> sizes;
  if (ctx.has_input(1)) {
    ctx.check(!ctx.attrs().has("split"), "split sizes are given both as an attribute and as input 1");
    sizes = ctx.require_const(1, "the split sizes").to_i64();
  } else if (ctx.attrs().has("split")) {
    sizes = ctx.attrs().get_ints("split");
  } else {
    ctx.check(dim % nout == 0, "axis " + std::to_string(axis) + " of " + shape_str(in) + " (size " +
                                   std::to_string(dim) + ") does not divide into " + std::to_string(nout) +
                                   " equal parts");
    sizes.assign(size_t(nout), dim / nout);
  }
  ctx.check(int64_t(sizes.size()) == nout, "has " + std::to_string(sizes.size()) + " split sizes but " +
                                               std::to_string(nout) + " outputs");
  int64_t total = 0;
  for (int64_t s : sizes) {
    ctx.check(s >= 0 && s <= dim, "split size " + std::to_string(s) + " is out of range for an axis of size " +
                                      std::to_string(dim));
    total += s;
  }
  ctx.check(total == dim, "split sizes sum to " + std::to_string(total) + " but the axis has size " +
                              std::to_string(dim));
  for (size_t i = 0; i < sizes.size(); ++i) {
    Shape s = in;
    s[axis] = sizes[i];
    ctx.set_output(i, ctx.in_dtype(0), s);
  }
}

void eval_split(EvalContext &ctx) {
  const Value &in = ctx.in(0);
  const size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis", 0), int64_t(in.shape.size())));
  const std::vector<int64_t> src_strides = contiguous_strides(in.shape);
  int64_t offset = 0;
  for (size_t i = 0; i < ctx.num_outputs(); ++i) {
    StridedCopy c;
    c.shape = ctx.out(i).shape;
    c.src_strides = src_strides;
    c.dst_strides = contiguous_strides(c.shape);
    c.src_offset = offset * src_strides[axis];
    run_strided_copy(in, ctx.out(i), c);
    offset += c.shape[axis];
  }
}

OpDef split_op() {
  OpDef d;
  d.name = "Split";
  d.min_inputs = 1;
  d.max_inputs = 2;
  d.min_outputs = 1;
  d.max_outputs = -1;
  d.infer = infer_split;
  d.eval = eval_split;
  return d;
}

}  // namespace

MTC_REGISTER_OP(split_op())

}  // namespace mtc
