// MatMulInteger (opset 10): int32 Y = (A - a_zero_point) @ (B - b_zero_point) for uint8/int8 A and B,
// with MatMul's shape rule (matmul.h). a_zero_point is a scalar or one value per row of A ([M] for a
// 2-D A, A's shape with the last dim 1 otherwise); b_zero_point a scalar or one per column of B
// ([N] for a 2-D B, B's shape with dim -2 set to 1 otherwise). Sums wrap modulo 2^32 like the C
// kernels' (runtime/src/mtc_matmul_integer_*.c).
#include "ops/matmul.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

bool is_8bit(DType t) { return t == DType::U8 || t == DType::I8; }

// Checks zero point input `zi` of operand `oi`: "" or why it is invalid. `per_row`: A's (one per row,
// A's last axis dropped to 1), else B's (one per column, B's axis -2 dropped to 1).
std::string check_zero_point(InferContext &ctx, size_t zi, size_t oi, const char *what, bool per_row) {
  const Shape &zs = ctx.in_shape(zi), &os = ctx.in_shape(oi);
  if (ctx.in_dtype(zi) != ctx.in_dtype(oi))
    return std::string(what) + " must have its operand's element type " + dtype_name(ctx.in_dtype(oi));
  if (shape_elements(zs) == 1 && zs.size() <= os.size()) return "";
  std::string bad = std::string(what) + " of shape " + shape_str(zs) +
                    " is neither a scalar nor one value per " + (per_row ? "row of A " : "column of B ") +
                    shape_str(os);
  if (os.size() < 2) return bad;
  size_t axis = per_row ? os.size() - 1 : os.size() - 2;
  if (os[axis] == 0) return bad + " (the inner dimension is 0)";
  Shape sliced = os;
  sliced[axis] = 1;
  Shape squeezed = os;
  squeezed.erase(squeezed.begin() + int64_t(axis));
  if (zs == sliced || (os.size() == 2 && zs == squeezed)) return "";
  return bad;
}

void infer_matmul_integer(InferContext &ctx) {
  for (size_t i = 0; i < 2; ++i)
    ctx.check(is_8bit(ctx.in_dtype(i)),
              std::string(i ? "B" : "A") + " must be uint8 or int8, not " + dtype_name(ctx.in_dtype(i)));
  MatMulShape s;
  std::string why;
  if (!matmul_shape(ctx.in_shape(0), ctx.in_shape(1), s, why)) ctx.fail(why);
  if (ctx.has_input(2)) {
    std::string e = check_zero_point(ctx, 2, 0, "a_zero_point", true);
    if (!e.empty()) ctx.fail(e);
  }
  if (ctx.has_input(3)) {
    std::string e = check_zero_point(ctx, 3, 1, "b_zero_point", false);
    if (!e.empty()) ctx.fail(e);
  }
  ctx.set_output(0, DType::I32, s.out);
}

void eval_matmul_integer(EvalContext &ctx) {
  MatMulShape s;
  std::string why;
  if (!matmul_shape(ctx.in(0).shape, ctx.in(1).shape, s, why)) ctx.fail(why);
  const Value &a = ctx.in(0), &b = ctx.in(1);
  const Value *azp = ctx.has(2) ? &ctx.in(2) : nullptr, *bzp = ctx.has(3) ? &ctx.in(3) : nullptr;
  int32_t *y = ctx.out(0).data<int32_t>();
  int64_t batches = product(s.batch, 0, s.batch.size());
  for (int64_t bi = 0; bi < batches; ++bi) {
    int64_t oa = 0, ob = 0, rest = bi;
    for (size_t d = s.batch.size(); d-- > 0;) {
      int64_t idx = rest % s.batch[d];
      rest /= s.batch[d];
      oa += idx * s.a_batch[d];
      ob += idx * s.b_batch[d];
    }
    for (int64_t i = 0; i < s.m; ++i) {
      // Row i of this A matrix is row (oa / k + i) of the whole tensor.
      int64_t a0 = azp ? azp->get_i64(azp->elements() == 1 ? 0 : oa / s.k + i) : 0;
      for (int64_t j = 0; j < s.n; ++j) {
        // Column j of this B matrix is column j of B's (ob / (k * n))-th matrix.
        int64_t b0 = bzp ? bzp->get_i64(bzp->elements() == 1 ? 0 : ob / s.k + j) : 0;
        int64_t acc = 0;
        for (int64_t p = 0; p < s.k; ++p)
          acc += (a.get_i64(oa + i * s.k + p) - a0) * (b.get_i64(ob + p * s.n + j) - b0);
        y[(bi * s.m + i) * s.n + j] = int32_t(uint32_t(uint64_t(acc)));
      }
    }
  }
}

OpDef matmul_integer_op() {
  OpDef d;
  d.name = "MatMulInteger";
  d.min_inputs = 2;
  d.max_inputs = 4;
  d.infer = infer_matmul_integer;
  d.eval = eval_matmul_integer;
  d.macs = [](const Graph &g, const Node &n) -> int64_t {
    MatMulShape s;
    std::string why;
    if (!matmul_shape(g.tensor(n.inputs[0]).shape, g.tensor(n.inputs[1]).shape, s, why)) return 0;
    return product(s.batch, 0, s.batch.size()) * s.m * s.n * s.k;
  };
  return d;
}

}  // namespace

MTC_REGISTER_OP(matmul_integer_op())

}  // namespace mtc
