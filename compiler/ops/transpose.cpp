// Transpose: permutes the axes of its input (perm attribute, default reversed).
#include "ops/data_layout.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_transpose(InferContext &ctx) {
  std::vector<int64_t> perm;
  std::string err = transpose_perm(ctx.node(), ctx.in_shape(0).size(), perm);
  if (!err.empty()) ctx.fail(err);
  ctx.set_output(0, ctx.in_dtype(0), transpose_copy(ctx.in_shape(0), perm).shape);
}

void eval_transpose(EvalContext &ctx) {
  std::vector<int64_t> perm;
  transpose_perm(ctx.node(), ctx.in(0).shape.size(), perm);
  run_strided_copy(ctx.in(0), ctx.out(0), transpose_copy(ctx.in(0).shape, perm));
}

OpDef transpose_op() {
  OpDef d;
  d.name = "Transpose";
  d.infer = infer_transpose;
  d.eval = eval_transpose;
  return d;
}

}  // namespace

MTC_REGISTER_OP(transpose_op())

}  // namespace mtc
