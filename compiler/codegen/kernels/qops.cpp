// C for the quantization operators with run-time parameters: QuantizeLinear, DequantizeLinear,
// DynamicQuantizeLinear, ConvInteger and MatMulInteger (kernels in runtime/include/mtc_qops.h).
#include "codegen/emitter.h"
#include "codegen/kernels/collapse.h"
#include "codegen/kernels/window_params.h"
#include "ops/conv_geometry.h"
#include "ops/matmul.h"
#include "ops/op_util.h"
#include "ops/quantize_linear.h"

namespace mtc {

namespace {

std::string i2s(int64_t v) { return std::to_string(v); }

// Kernel name suffix of an 8-bit or int32 element type.
std::string type_suffix(const EmitContext &ctx, DType t) {
  switch (t) {
  case DType::U8: return "u8";
  case DType::I8: return "i8";
  case DType::I32: return "i32";
  default: ctx.fail(std::string("no quantization kernel for element type ") + dtype_name(t));
  }
}

std::string optional_ptr(const EmitContext &ctx, size_t i) {
  return ctx.has_input(i) ? ctx.in_ptr(i) : "NULL";
}

// QuantizeLinear and DequantizeLinear: the same call shape, typed by the integer side.
void emit_quant_linear(EmitContext &ctx) {
  const bool quantize = ctx.node().op == "QuantizeLinear";
  QuantLayout l;
  std::string why;
  const Shape *zp = ctx.has_input(2) ? &ctx.in(2).shape : nullptr;
  if (!quant_layout(ctx.node(), ctx.in(0).shape, ctx.in(1).shape, zp, l, why)) ctx.fail(why);
  if (shape_elements(ctx.out(0).shape) == 0) {
    ctx.line("/* empty output: nothing to compute */");
    return;
  }
  const DType t = quantize ? ctx.out(0).dtype : ctx.in(0).dtype;
  if (quantize && t == DType::I8 && l.channels == 1 && (!ctx.has_input(2) || ctx.in(2).constant)) {
    // per tensor with a constant zero point (a quantized model's float input): the short loop
    const int64_t zp = ctx.has_input(2) ? ctx.in(2).constant->get_i64(0) : 0;
    ctx.use_kernel("mtc_quantize_tensor_i8");
    ctx.line("mtc_quantize_tensor_i8(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + i2s(zp) + ", " +
             ctx.out_ptr(0) + ", " + i2s(shape_elements(ctx.in(0).shape)) + ");");
    return;
  }
  const std::string fn =
      std::string(quantize ? "mtc_quantize_linear_" : "mtc_dequantize_linear_") + type_suffix(ctx, t);
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + optional_ptr(ctx, 2) + ", " +
           ctx.out_ptr(0) + ", " + i2s(l.outer) + ", " + i2s(l.channels) + ", " + i2s(l.inner) + ");");
}

void emit_dynamic_quantize(EmitContext &ctx) {
  ctx.use_kernel("mtc_dynamic_quantize_linear_u8");
  ctx.line("mtc_dynamic_quantize_linear_u8(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " + ctx.out_ptr(1) +
           ", " + ctx.out_ptr(2) + ", " + i2s(shape_elements(ctx.in(0).shape)) + ");");
}

void emit_conv_integer(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape, &w = ctx.in(1).shape;
  WindowGeometry g0;
  std::string why;
  if (!conv_window(ctx.attrs(), x, w, g0, why)) ctx.fail(why);
  if (shape_elements(ctx.out(0).shape) == 0) {
    ctx.line("/* empty output: nothing to compute */");
    return;
  }
  WindowGeometry g = as_2d(g0);
  const std::string fn =
      "mtc_conv_integer2d_" + type_suffix(ctx, ctx.in(0).dtype) + "_" + type_suffix(ctx, ctx.in(1).dtype);
  const bool per_channel = ctx.has_input(3) && shape_elements(ctx.in(3).shape) > 1;
  ctx.use_kernel(fn);
  ctx.line("{");
  emit_conv2d_params(ctx, x, w, g);
  ctx.line("  " + fn + "(&p, " + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + optional_ptr(ctx, 2) + ", " +
           optional_ptr(ctx, 3) + ", " + (per_channel ? "1" : "0") + ", " + ctx.out_ptr(0) + ");");
  ctx.line("}");
}

void emit_matmul_integer(EmitContext &ctx) {
  MatMulShape s;
  std::string why;
  if (!matmul_shape(ctx.in(0).shape, ctx.in(1).shape, s, why)) ctx.fail(why);
  if (shape_elements(ctx.out(0).shape) == 0) {
    ctx.line("/* empty output: nothing to compute */");
    return;
  }
  // Per-row / per-column zero points are indexed from each matrix's offset in its operand, which the
  // batch tables keep (no merging of batches into one taller product as MatMul does).
  Shape dims = s.batch;
  std::vector<int64_t> sa = s.a_batch, sb = s.b_batch;
  collapse_dims(dims, sa, sb);
  std::string tables = "0, 0, 0, 0";
  if (!dims.empty())
    tables = i2s(int64_t(dims.size())) + ", " + ctx.int_array(dims) + ", " + ctx.int_array(sa) + ", " +
             ctx.int_array(sb);
  const bool a_rows = ctx.has_input(2) && shape_elements(ctx.in(2).shape) > 1;
  const bool b_cols = ctx.has_input(3) && shape_elements(ctx.in(3).shape) > 1;
  const std::string fn =
      "mtc_matmul_integer_" + type_suffix(ctx, ctx.in(0).dtype) + "_" + type_suffix(ctx, ctx.in(1).dtype);
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + optional_ptr(ctx, 2) + ", " +
           (a_rows ? "1" : "0") + ", " + optional_ptr(ctx, 3) + ", " + (b_cols ? "1" : "0") + ", " +
           ctx.out_ptr(0) + ", " + i2s(s.m) + ", " + i2s(s.n) + ", " + i2s(s.k) + ", " + tables + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("QuantizeLinear", emit_quant_linear)
MTC_REGISTER_EMITTER("DequantizeLinear", emit_quant_linear)
MTC_REGISTER_EMITTER("DynamicQuantizeLinear", emit_dynamic_quantize)
MTC_REGISTER_EMITTER("ConvInteger", emit_conv_integer)
MTC_REGISTER_EMITTER("MatMulInteger", emit_matmul_integer)

}  // namespace mtc
