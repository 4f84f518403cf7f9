// C for Gemm (mtc_gemm_f32) and MatMul (mtc_matmul_f32, with batch dims collapsed into static tables).
#include "codegen/emitter.h"
#include "codegen/kernels/collapse.h"
#include "ops/matmul.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

std::string i2s(int64_t v) { return std::to_string(v); }

void emit_gemm(EmitContext &ctx) {
  const Shape &a = ctx.in(0).shape, &y = ctx.out(0).shape;
  bool ta = ctx.attrs().get_int("transA", 0) != 0, tb = ctx.attrs().get_int("transB", 0) != 0;
  int64_t m = y[0], n = y[1], k = ta ? a[0] : a[1];
  std::string c = "0";
  std::vector<int64_t> cs = {0, 0};
  if (ctx.has_input(2)) {
    c = ctx.in_ptr(2);
    cs = broadcast_strides(ctx.in(2).shape, y);
  }
  ctx.use_kernel("mtc_gemm_f32");
  ctx.line("mtc_gemm_f32(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + c + ", " + ctx.out_ptr(0) + ", " +
           i2s(m) + ", " + i2s(n) + ", " + i2s(k) + ", " + (ta ? "1" : "0") + ", " + (tb ? "1" : "0") + ", " +
           c_float(ctx.attrs().get_float("alpha", 1.f)) + ", " + c_float(ctx.attrs().get_float("beta", 1.f)) +
           ", " + i2s(cs[0]) + ", " + i2s(cs[1]) + ", " + ctx.act_expr() + ");");
}

void emit_matmul(EmitContext &ctx) {
  MatMulShape s;
  std::string why;
  if (!matmul_shape(ctx.in(0).shape, ctx.in(1).shape, s, why)) ctx.fail(why);
  if (shape_elements(ctx.out(0).shape) == 0) {
    ctx.line("/* empty output: nothing to compute */");
    return;
  }
  Shape dims = s.batch;
  std::vector<int64_t> sa = s.a_batch, sb = s.b_batch;
  collapse_dims(dims, sa, sb);
  int64_t m = s.m;
  // A batch of A rows against one shared B (e.g. [B, S, K] @ [K, N]) is a single taller product.
  if (dims.size() == 1 && sb[0] == 0 && sa[0] == s.m * s.k) {
    m *= dims[0];
    dims.clear();
  }
  std::string tables = "0, 0, 0, 0";
  if (!dims.empty())
    tables = i2s(int64_t(dims.size())) + ", " + ctx.int_array(dims) + ", " + ctx.int_array(sa) + ", " +
             ctx.int_array(sb);
  ctx.use_kernel("mtc_matmul_f32");
  ctx.line("mtc_matmul_f32(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + ctx.out_ptr(0) + ", " + i2s(m) +
           ", " + i2s(s.n) + ", " + i2s(s.k) + ", " + tables + ", " + ctx.act_expr() + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("Gemm", emit_gemm)
MTC_REGISTER_EMITTER("MatMul", emit_matmul)

}  // namespace mtc
