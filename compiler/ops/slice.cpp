// Slice (opset >= 10 form; older ones are rewritten on import): constant starts/ends/axes/steps,
// negative steps, out-of-range bounds clamped as ONNX specifies.
#include "ops/data_layout.h"
#include "ops/op.h"

namespace mtc {

namespace {

void infer_slice(InferContext &ctx) {
  const char *what[] = {"", "starts", "ends", "axes", "steps"};
  for (size_t i = 1; i < 5; ++i) {
    if (!ctx.has_input(i)) continue;
    const Value &v = ctx.require_const(i, what[i]);
    ctx.check(v.dtype == DType::I64 || v.dtype == DType::I32,
              std::string(what[i]) + " must be int64 or int32");
    ctx.check(v.shape.size() == 1, std::string(what[i]) + " must be a 1-D tensor");
  }
  StridedCopy copy;
  std::string err = slice_plan(ctx.graph(), ctx.node(), copy);
  if (!err.empty()) ctx.fail(err);
  ctx.set_output(0, ctx.in_dtype(0), copy.shape);
}

void eval_slice(EvalContext &ctx) {
  StridedCopy copy;
  slice_plan(ctx.graph(), ctx.node(), copy);
  run_strided_copy(ctx.in(0), ctx.out(0), copy);
}

OpDef slice_op() {
  OpDef d;
  d.name = "Slice";
  d.min_inputs = 3;
  d.max_inputs = 5;
  d.infer = infer_slice;
  d.eval = eval_slice;
  return d;
}

}  // namespace

MTC_REGISTER_OP(slice_op())

}  // namespace mtc
