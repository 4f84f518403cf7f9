// Elementwise arithmetic with numpy broadcasting: Add, Sub, Mul, Div. Float results may carry a
// fused activation; integer types (shape arithmetic folded at compile time) wrap like C unsigned
// arithmetic and Div truncates toward zero.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "ops/activation.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

enum class BinOp { Add, Sub, Mul, Div };

struct BinaryDef {
  const char *name;
  BinOp op;
};

const BinaryDef kBinaryOps[] = {
    {"Add", BinOp::Add}, {"Sub", BinOp::Sub}, {"Mul", BinOp::Mul}, {"Div", BinOp::Div}};

BinOp op_of(const std::string &name) {
  for (const BinaryDef &d : kBinaryOps)
    if (name == d.name) return d.op;
  return BinOp::Add;
}

template <class T> T apply_float(BinOp op, T a, T b) {
  switch (op) {
  case BinOp::Add: return a + b;
  case BinOp::Sub: return a - b;
  case BinOp::Mul: return a * b;
  case BinOp::Div: return a / b;
  }
  return T(0);
}

// Integer arithmetic done in uint64 so overflow wraps (modulo the type's width) instead of being
// undefined; division by zero gives 0 (numpy's result) and MIN / -1 wraps, so hostile constants
// cannot crash the compiler.
template <class T> T apply_int(BinOp op, T a, T b) {
  uint64_t ua = uint64_t(a), ub = uint64_t(b);
  switch (op) {
  case BinOp::Add: return T(ua + ub);
  case BinOp::Sub: return T(ua - ub);
  case BinOp::Mul: return T(ua * ub);
  case BinOp::Div:
    if (b == 0) return T(0);
    if (std::is_signed<T>::value && b == T(-1)) return T(uint64_t(0) - ua);
    return T(a / b);
  }
  return T(0);
}

bool supported_dtype(DType t) {
  switch (t) {
  case DType::F32:
  case DType::F64:
  case DType::I8:
  case DType::U8:
  case DType::I16:
  case DType::I32:
  case DType::I64: return true;
  default: return false;
  }
}

void infer_binary(InferContext &ctx) {
  DType ta = ctx.in_dtype(0), tb = ctx.in_dtype(1);
  ctx.check(ta == tb,
            std::string("operand types differ (") + dtype_name(ta) + " and " + dtype_name(tb) + ")");
  ctx.check(supported_dtype(ta), std::string("does not support element type ") + dtype_name(ta));
  const Shape &a = ctx.in_shape(0), &b = ctx.in_shape(1);
  // Opset < 7 "broadcast=1, axis=k" aligns B at axis k of A; only the numpy-equivalent case is accepted.
  if (ctx.attrs().get_int("broadcast", 0) != 0 && ctx.attrs().has("axis")) {
    int64_t axis = ctx.attrs().get_int("axis");
    if (axis < 0) axis += int64_t(a.size());
    ctx.check(axis == int64_t(a.size()) - int64_t(b.size()),
              "legacy broadcasting with axis (opset < 7) that differs from numpy broadcasting is not "
              "supported");
  }
  Shape out;
  if (!broadcast_shapes(a, b, out))
    ctx.fail("cannot broadcast shapes " + shape_str(a) + " and " + shape_str(b));
  if (ta != DType::F32 && ta != DType::F64)
    ctx.check(fused_activation(ctx.attrs()).kind.empty(), "a fused activation needs a float type");
  ctx.set_output(0, ta, out);
}

// Calls f(out_index, a_index, b_index) for every output element, row-major.
template <class F> void for_each_broadcast(const Shape &a, const Shape &b, const Shape &out, F f) {
  std::vector<int64_t> sa = broadcast_strides(a, out), sb = broadcast_strides(b, out);
  int64_t n = product(out, 0, out.size());
  std::vector<int64_t> idx(out.size(), 0);
  int64_t ia = 0, ib = 0;
  for (int64_t o = 0; o < n; ++o) {
    f(o, ia, ib);
    for (size_t d = out.size(); d-- > 0;) {
      ++idx[d];
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < out[d]) break;
      ia -= sa[d] * out[d];
      ib -= sb[d] * out[d];
      idx[d] = 0;
    }
  }
}

template <class T> void eval_typed(EvalContext &ctx, BinOp op) {
  const Value &a = ctx.in(0), &b = ctx.in(1);
  Value &y = ctx.out(0);
  const T *pa = a.data<T>(), *pb = b.data<T>();
  T *py = y.data<T>();
  if constexpr (std::is_floating_point<T>::value) {
    Activation act = fused_activation(ctx.attrs());
    for_each_broadcast(a.shape, b.shape, y.shape, [&](int64_t o, int64_t i, int64_t j) {
      T v = apply_float<T>(op, pa[i], pb[j]);
      py[o] = act.kind.empty() ? v : T(apply_activation(act, float(v)));
    });
  } else {
    for_each_broadcast(a.shape, b.shape, y.shape,
                       [&](int64_t o, int64_t i, int64_t j) { py[o] = apply_int<T>(op, pa[i], pb[j]); });
  }
}

void eval_binary(EvalContext &ctx) {
  BinOp op = op_of(ctx.node().op);
  switch (ctx.in(0).dtype) {
  case DType::F32: eval_typed<float>(ctx, op); break;
  case DType::F64: eval_typed<double>(ctx, op); break;
  case DType::I8: eval_typed<int8_t>(ctx, op); break;
  case DType::U8: eval_typed<uint8_t>(ctx, op); break;
  case DType::I16: eval_typed<int16_t>(ctx, op); break;
  case DType::I32: eval_typed<int32_t>(ctx, op); break;
  case DType::I64: eval_typed<int64_t>(ctx, op); break;
  default: ctx.fail(std::string("does not support element type ") + dtype_name(ctx.in(0).dtype));
  }
}

OpDef binary_op(const BinaryDef &b) {
  OpDef d;
  d.name = b.name;
  d.min_inputs = d.max_inputs = 2;
  d.infer = infer_binary;
  d.eval = eval_binary;
  d.fuses_activation = true;  // the fusion pass only fuses into float32 tensors
  return d;
}

}  // namespace

MTC_REGISTER_OP(binary_op(kBinaryOps[0]))
MTC_REGISTER_OP(binary_op(kBinaryOps[1]))
MTC_REGISTER_OP(binary_op(kBinaryOps[2]))
MTC_REGISTER_OP(binary_op(kBinaryOps[3]))

}  // namespace mtc
