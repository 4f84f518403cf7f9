// C for the Reduce* operators: one mtc_reduce_f32 call. The kept and the reduced axes each become a
// (dims, input strides) table, so any axes set works without moving data; size-1 axes are dropped
// and neighbours that walk memory contiguously are merged, and the innermost reduced run is the
// kernel's (n, step) loop.
#include "codegen/emitter.h"
#include "ops/op_util.h"
#include "ops/reduce.h"

namespace mtc {

namespace {

struct Axes {
  std::vector<int64_t> dims, strides;
  void add(int64_t dim, int64_t stride) {
    if (dim == 1) return;
    if (!dims.empty() && strides.back() == stride * dim) {
      dims.back() *= dim;
      strides.back() = stride;
      return;
    }
    dims.push_back(dim);
    strides.push_back(stride);
  }
};

const char *reduce_enum(ReduceKind k) {
  switch (k) {
  case ReduceKind::Sum: return "MTC_REDUCE_SUM";
  case ReduceKind::Mean: return "MTC_REDUCE_MEAN";
  case ReduceKind::Max: return "MTC_REDUCE_MAX";
  case ReduceKind::Min: return "MTC_REDUCE_MIN";
  case ReduceKind::Prod: return "MTC_REDUCE_PROD";
  case ReduceKind::L1: return "MTC_REDUCE_L1";
  case ReduceKind::L2: return "MTC_REDUCE_L2";
  case ReduceKind::SumSquare: return "MTC_REDUCE_SUM_SQUARE";
  case ReduceKind::LogSum: return "MTC_REDUCE_LOG_SUM";
  case ReduceKind::LogSumExp: return "MTC_REDUCE_LOG_SUM_EXP";
  }
  return "MTC_REDUCE_SUM";
}

std::string tables(EmitContext &ctx, const Axes &a) {
  if (a.dims.empty()) return "0, 0, 0";
  // declared in argument order (operands of + are evaluated in unspecified order)
  std::string dims = ctx.int_array(a.dims);
  std::string strides = ctx.int_array(a.strides);
  return std::to_string(a.dims.size()) + ", " + dims + ", " + strides;
}

void emit_reduce(EmitContext &ctx) {
  const Tensor &x = ctx.in(0);
  if (x.dtype != DType::F32) ctx.fail(std::string("no C kernel for element type ") + dtype_name(x.dtype));
  if (shape_elements(ctx.out(0).shape) == 0) {
    ctx.line("(void)" + ctx.out_ptr(0) + ";");
    return;
  }
  std::vector<bool> reduced;
  const Value *axes = ctx.has_input(1) && ctx.in(1).is_constant() ? &*ctx.in(1).constant : nullptr;
  if (ctx.has_input(1) && !axes) ctx.fail("axes must be a constant");
  std::string err = reduce_axes(ctx.node(), axes, int64_t(x.shape.size()), reduced);
  if (!err.empty()) ctx.fail(err);
  std::vector<int64_t> strides = contiguous_strides(x.shape);
  Axes kept, red;
  for (size_t d = 0; d < x.shape.size(); ++d) (reduced[d] ? red : kept).add(x.shape[d], strides[d]);
  int64_t n = 1, step = 0;
  if (!red.dims.empty()) {
    n = red.dims.back(), step = red.strides.back();
    red.dims.pop_back(), red.strides.pop_back();
  }
  std::string out_tables = tables(ctx, kept);
  std::string red_tables = tables(ctx, red);
  ctx.use_kernel("mtc_reduce_f32");
  ctx.line("mtc_reduce_f32(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " +
           reduce_enum(reduce_kind(ctx.node().op)) + ", " + std::to_string(n) + ", " + std::to_string(step) +
           ", " + out_tables + ", " + red_tables + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("ReduceSum", emit_reduce)
MTC_REGISTER_EMITTER("ReduceMean", emit_reduce)
MTC_REGISTER_EMITTER("ReduceMax", emit_reduce)
MTC_REGISTER_EMITTER("ReduceMin", emit_reduce)
MTC_REGISTER_EMITTER("ReduceProd", emit_reduce)
MTC_REGISTER_EMITTER("ReduceL1", emit_reduce)
MTC_REGISTER_EMITTER("ReduceL2", emit_reduce)
MTC_REGISTER_EMITTER("ReduceSumSquare", emit_reduce)
MTC_REGISTER_EMITTER("ReduceLogSum", emit_reduce)
MTC_REGISTER_EMITTER("ReduceLogSumExp", emit_reduce)

}  // namespace mtc
