// C for Add/Sub/Mul/Div: one call of mtc_<op>_<type> with the broadcast collapsed to an inner row
// (fast paths for same-shape and scalar operands) and static outer stride tables.
#include <cctype>

#include "codegen/emitter.h"
#include "codegen/kernels/collapse.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void emit_binary(EmitContext &ctx) {
  const Tensor &y = ctx.out(0);
  std::string suffix, act;
  switch (y.dtype) {
  case DType::F32:
    suffix = "_f32";
    act = ", " + ctx.act_expr();  // integer kernels never carry a fused activation
    break;
  case DType::I32: suffix = "_i32"; break;
  case DType::I64: suffix = "_i64"; break;
  case DType::I8: suffix = "_i8"; break;
  case DType::U8: suffix = "_u8"; break;
  default: ctx.fail(std::string("no C kernel for element type ") + dtype_name(y.dtype));
  }
  if (shape_elements(y.shape) == 0) {
    ctx.line("/* empty output: nothing to compute */");
    return;
  }
  Shape dims = y.shape;
  std::vector<int64_t> sa = broadcast_strides(ctx.in(0).shape, dims);
  std::vector<int64_t> sb = broadcast_strides(ctx.in(1).shape, dims);
  collapse_dims(dims, sa, sb);
  int64_t n = 1, a_step = 0, b_step = 0;
  if (!dims.empty()) {
    n = dims.back();
    a_step = sa.back();
    b_step = sb.back();
    dims.pop_back();
    sa.pop_back();
    sb.pop_back();
  }
  std::string tables = "0, 0, 0, 0";
  if (!dims.empty())
    tables = std::to_string(dims.size()) + ", " + ctx.int_array(dims) + ", " + ctx.int_array(sa) + ", " +
             ctx.int_array(sb);
  std::string fn = "mtc_";
  for (char c : ctx.node().op) fn += char(std::tolower(static_cast<unsigned char>(c)));
  fn += suffix;
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + ctx.out_ptr(0) + ", " +
           std::to_string(n) + ", " + std::to_string(a_step) + ", " + std::to_string(b_step) + ", " + tables +
           act + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("Add", emit_binary)
MTC_REGISTER_EMITTER("Sub", emit_binary)
MTC_REGISTER_EMITTER("Mul", emit_binary)
MTC_REGISTER_EMITTER("Div", emit_binary)

}  // namespace mtc
