// Gemm: Y = act(alpha * A' * B' + beta * C) with A' = transA ? A^T : A (M x K), B' likewise (K x N)
// and the optional C broadcast unidirectionally to (M, N). The BatchNormalization folding pass
// relies on these ONNX semantics.
#include "ops/activation.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

struct GemmDims {
  int64_t m, n, k;
};

GemmDims gemm_dims(const Node &n, const Shape &a, const Shape &b) {
  bool ta = n.attrs.get_int("transA", 0) != 0, tb = n.attrs.get_int("transB", 0) != 0;
  return {ta ? a[1] : a[0], tb ? b[0] : b[1], ta ? a[0] : a[1]};
}

void infer_gemm(InferContext &ctx) {
  for (size_t i = 0; i < 3; ++i)
    if (ctx.has_input(i))
      ctx.check(ctx.in_dtype(i) == DType::F32,
                std::string("supports float32 only, not ") + dtype_name(ctx.in_dtype(i)));
  const Shape &a = ctx.in_shape(0), &b = ctx.in_shape(1);
  ctx.check(a.size() == 2, "A must be 2-D, got shape " + shape_str(a));
  ctx.check(b.size() == 2, "B must be 2-D, got shape " + shape_str(b));
  GemmDims d = gemm_dims(ctx.node(), a, b);
  bool tb = ctx.attrs().get_int("transB", 0) != 0;
  ctx.check(d.k == (tb ? b[1] : b[0]), "inner dimensions differ: A' is " + std::to_string(d.m) + "x" +
                                             std::to_string(d.k) + ", B' is " + shape_str(b) +
                                             (tb ? " transposed" : ""));
  Shape out = {d.m, d.n};
  if (ctx.has_input(2)) {
    const Shape &c = ctx.in_shape(2);
    Shape bc;
    ctx.check(c.size() <= 2 && broadcast_shapes(out, c, bc) && bc == out,
              "C of shape " + shape_str(c) + " does not broadcast to the output shape " + shape_str(out));
  }
  ctx.set_output(0, DType::F32, out);
}

void eval_gemm(EvalContext &ctx) {
  const Value &a = ctx.in(0), &b = ctx.in(1);
  Value &y = ctx.out(0);
  GemmDims d = gemm_dims(ctx.node(), a.shape, b.shape);
  bool ta = ctx.attrs().get_int("transA", 0) != 0, tb = ctx.attrs().get_int("transB", 0) != 0;
  double alpha = ctx.attrs().get_float("alpha", 1.f), beta = ctx.attrs().get_float("beta", 1.f);
  Activation act = fused_activation(ctx.attrs());
  std::vector<int64_t> cs = {0, 0};
  if (ctx.has(2)) cs = broadcast_strides(ctx.in(2).shape, y.shape);
  const float *pa = a.data<float>(), *pb = b.data<float>();
  for (int64_t i = 0; i < d.m; ++i)
    for (int64_t j = 0; j < d.n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < d.k; ++p)
        acc += double(ta ? pa[p * d.m + i] : pa[i * d.k + p]) *
               double(tb ? pb[j * d.k + p] : pb[p * d.n + j]);
      double v = alpha * acc;
      if (ctx.has(2)) v += beta * double(ctx.in(2).data<float>()[i * cs[0] + j * cs[1]]);
      y.data<float>()[i * d.n + j] = apply_activation(act, float(v));
    }
}

OpDef gemm_op() {
  OpDef d;
  d.name = "Gemm";
  d.min_inputs = 2;
  d.max_inputs = 3;
  d.infer = infer_gemm;
  d.eval = eval_gemm;
  d.macs = [](const Graph &g, const Node &n) -> int64_t {
    const Shape &a = g.tensor(n.inputs[0]).shape, &b = g.tensor(n.inputs[1]).shape;
    if (a.size() != 2 || b.size() != 2) return 0;
    GemmDims dims = gemm_dims(n, a, b);
    return dims.m * dims.n * dims.k;
  };
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(gemm_op())

}  // namespace mtc
