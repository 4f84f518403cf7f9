// C for the variadic Sum, Mean, Max, Min: a chain of broadcasting binary kernel calls. The first
// call combines inputs 0 and 1 into the output, each later one folds the next input into the
// output in place (the binary kernels allow y == a for a same-shaped a); Mean ends with a division.
#include "codegen/emitter.h"
#include "codegen/kernels/broadcast_call.h"

namespace mtc {

namespace {

void emit_variadic(EmitContext &ctx) {
  const Tensor &y = ctx.out(0);
  const std::string &op = ctx.node().op;
  std::string suffix;
  switch (y.dtype) {
  case DType::F32: suffix = "_f32"; break;
  case DType::I32: suffix = "_i32"; break;
  case DType::I64: suffix = "_i64"; break;
  case DType::I8: suffix = "_i8"; break;
  case DType::U8: suffix = "_u8"; break;
  default: ctx.fail(std::string("no C kernel for element type ") + dtype_name(y.dtype));
  }
  if (shape_elements(y.shape) == 0) {
    ctx.line("(void)" + ctx.out_ptr(0) + ";");
    return;
  }
  size_t k = ctx.node().inputs.size();
  if (k == 1) {
    ctx.line("memcpy(" + ctx.out_ptr(0) + ", " + ctx.in_ptr(0) + ", " +
             std::to_string(shape_elements(y.shape) * int64_t(dtype_size(y.dtype))) + ");");
    return;
  }
  bool is_sum = op == "Sum" || op == "Mean";
  std::string fn = (is_sum ? "mtc_add" : op == "Max" ? "mtc_max" : "mtc_min") + suffix;
  // Add's float kernel applies an activation on store: none here.
  std::string act = is_sum && y.dtype == DType::F32 ? ", (mtc_act){MTC_ACT_NONE, 0.0f, 0.0f}" : "";
  emit_broadcast_call(ctx, fn, ctx.in_ptr(0), ctx.in(0).shape, ctx.in_ptr(1), ctx.in(1).shape, act);
  for (size_t i = 2; i < k; ++i)
    emit_broadcast_call(ctx, fn, ctx.out_ptr(0), y.shape, ctx.in_ptr(i), ctx.in(i).shape, act);
  if (op == "Mean") {
    std::string count = ctx.float_array({float(k)});
    emit_broadcast_call(ctx, "mtc_div_f32", ctx.out_ptr(0), y.shape, count, {}, act);
  }
}

}  // namespace

MTC_REGISTER_EMITTER("Sum", emit_variadic)
MTC_REGISTER_EMITTER("Mean", emit_variadic)
MTC_REGISTER_EMITTER("Max", emit_variadic)
MTC_REGISTER_EMITTER("Min", emit_variadic)

}  // namespace mtc
