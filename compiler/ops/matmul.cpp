// MatMul with numpy semantics: Y = act(A @ B), 1-D operands promoted, batch dims broadcast.
#include "ops/matmul.h"

#include "ops/activation.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

bool matmul_shape(const Shape &a, const Shape &b, MatMulShape &s, std::string &why) {
  if (a.empty() || b.empty()) {
    why = "operands must have rank >= 1, got " + shape_str(a) + " and " + shape_str(b);
    return false;
  }
  // Promote: A (K) -> (1, K), B (K) -> (K, 1).
  Shape pa = a.size() == 1 ? Shape{1, a[0]} : a;
  Shape pb = b.size() == 1 ? Shape{b[0], 1} : b;
  s.m = pa[pa.size() - 2];
  s.k = pa[pa.size() - 1];
  s.n = pb[pb.size() - 1];
  if (pb[pb.size() - 2] != s.k) {
    why = "inner dimensions differ: " + shape_str(a) + " @ " + shape_str(b);
    return false;
  }
  Shape ba(pa.begin(), pa.end() - 2), bb(pb.begin(), pb.end() - 2);
  if (!broadcast_shapes(ba, bb, s.batch)) {
    why = "batch dimensions of " + shape_str(a) + " and " + shape_str(b) + " do not broadcast";
    return false;
  }
  s.a_batch = broadcast_strides(ba, s.batch);
  s.b_batch = broadcast_strides(bb, s.batch);
  for (int64_t &x : s.a_batch) x *= s.m * s.k;
  for (int64_t &x : s.b_batch) x *= s.k * s.n;
  s.out = s.batch;
  if (a.size() > 1) s.out.push_back(s.m);
  if (b.size() > 1) s.out.push_back(s.n);
  return true;
}

namespace {

void infer_matmul(InferContext &ctx) {
  for (size_t i = 0; i < 2; ++i)
    ctx.check(ctx.in_dtype(i) == DType::F32,
              std::string("supports float32 only, not ") + dtype_name(ctx.in_dtype(i)));
  MatMulShape s;
  std::string why;
  if (!matmul_shape(ctx.in_shape(0), ctx.in_shape(1), s, why)) ctx.fail(why);
  ctx.set_output(0, DType::F32, s.out);
}

void eval_matmul(EvalContext &ctx) {
  MatMulShape s;
  std::string why;
  if (!matmul_shape(ctx.in(0).shape, ctx.in(1).shape, s, why)) ctx.fail(why);
  Activation act = fused_activation(ctx.attrs());
  const float *a = ctx.in(0).data<float>(), *b = ctx.in(1).data<float>();
  float *y = ctx.out(0).data<float>();
  int64_t batches = product(s.batch, 0, s.batch.size());
  for (int64_t bi = 0; bi < batches; ++bi) {
    int64_t oa = 0, ob = 0, rest = bi;
    for (size_t d = s.batch.size(); d-- > 0;) {
      int64_t idx = rest % s.batch[d];
      rest /= s.batch[d];
      oa += idx * s.a_batch[d];
      ob += idx * s.b_batch[d];
    }
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < s.k; ++p) acc += double(a[oa + i * s.k + p]) * double(b[ob + p * s.n + j]);
        y[(bi * s.m + i) * s.n + j] = apply_activation(act, float(acc));
      }
  }
}

OpDef matmul_op() {
  OpDef d;
  d.name = "MatMul";
  d.min_inputs = d.max_inputs = 2;
  d.infer = infer_matmul;
  d.eval = eval_matmul;
  d.macs = [](const Graph &g, const Node &n) -> int64_t {
    MatMulShape s;
    std::string why;
    if (!matmul_shape(g.tensor(n.inputs[0]).shape, g.tensor(n.inputs[1]).shape, s, why)) return 0;
    return product(s.batch, 0, s.batch.size()) * s.m * s.n * s.k;
  };
  d.fuses_activation = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(matmul_op())

}  // namespace mtc
