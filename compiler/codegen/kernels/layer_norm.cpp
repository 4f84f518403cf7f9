// C for LayerNormalization and InstanceNormalization: kernels that compute their own statistics.
#include "codegen/emitter.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

std::string str(int64_t v) { return std::to_string(v); }

// The kernel reads Scale/B as one value per element of the normalised block. An input already that
// size is passed as is; a smaller constant one is broadcast here into a static table.
std::string per_element(EmitContext &ctx, size_t i, const Shape &norm) {
  if (!ctx.has_input(i)) return "NULL";
  const Tensor &t = ctx.in(i);
  const int64_t n = shape_elements(norm);
  if (shape_elements(t.shape) == n) return ctx.in_ptr(i);
  if (!t.is_constant())
    ctx.fail("input " + str(int64_t(i)) + " of shape " + shape_str(t.shape) +
             " must be a constant to broadcast over the normalised dims " + shape_str(norm));
  const std::vector<int64_t> st = broadcast_strides(t.shape, norm), norm_st = contiguous_strides(norm);
  const float *src = t.constant->data<float>();
  std::vector<float> table(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) {
    int64_t k = 0;
    for (size_t a = 0; a < norm.size(); ++a) k += (j / norm_st[a]) % norm[a] * st[a];
    table[size_t(j)] = src[k];
  }
  return ctx.float_array(table);
}

std::string optional_out(EmitContext &ctx, size_t i) {
  return i < ctx.node().outputs.size() && ctx.node().outputs[i] != kNoTensor ? ctx.out_ptr(i) : "NULL";
}

void emit_layer_norm(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape;
  const size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis", -1), int64_t(x.size())));
  const Shape norm(x.begin() + std::ptrdiff_t(axis), x.end());
  const int64_t inner = shape_elements(norm), outer = shape_elements(x) / inner;
  // tables declared in argument order (operands of + are evaluated in unspecified order)
  std::string scale = per_element(ctx, 1, norm), bias = per_element(ctx, 2, norm);
  std::string mean = optional_out(ctx, 1), inv_std = optional_out(ctx, 2);
  ctx.use_kernel("mtc_layer_norm_f32");
  ctx.line("mtc_layer_norm_f32(" + ctx.in_ptr(0) + ", " + scale + ", " + bias + ", " + ctx.out_ptr(0) + ", " + mean +
           ", " + inv_std + ", " + str(outer) + ", " + str(inner) + ", " +
           c_float(ctx.attrs().get_float("epsilon", 1e-5f)) + ");");
}

void emit_instance_norm(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape;
  const int64_t n = x[0], c = x[1], inner = shape_elements(x) / (n * c);
  ctx.use_kernel("mtc_instance_norm_f32");
  ctx.line("mtc_instance_norm_f32(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + ctx.in_ptr(2) + ", " +
           ctx.out_ptr(0) + ", " + str(n) + ", " + str(c) + ", " + str(inner) + ", " +
           c_float(ctx.attrs().get_float("epsilon", 1e-5f)) + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("LayerNormalization", emit_layer_norm)
MTC_REGISTER_EMITTER("InstanceNormalization", emit_instance_norm)

}  // namespace mtc
